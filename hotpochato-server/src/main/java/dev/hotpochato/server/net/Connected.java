package dev.hotpochato.server.net;

import dev.hotpochato.server.room.Participant;
import io.netty.channel.Channel;

/** A participant reachable over a connection: what {@link ChannelOutput} writes room frames to. */
public interface Connected extends Participant {

    /** The connection in use, or null while the participant is away. May be read from any thread. */
    Channel channel();
}
