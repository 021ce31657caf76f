package dev.hotpochato.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Reads server state that no public API shows, for tests that must check it is cleaned up: the
 * sessions a server still keeps for resumption. Reflection, because the server has no reason to
 * expose this; if a rename breaks it, the test using it fails loudly rather than passing.
 */
final class ServerInternals {

    private ServerInternals() {
    }

    /** How many sessions {@code server} keeps by resume token (live, or away within the grace period). */
    static int sessionCount(HotPochatoServer server) {
        try {
            Channel listener = (Channel) field(server, "serverChannel");
            for (Map.Entry<String, ChannelHandler> e : listener.pipeline()) {
                if (e.getValue().getClass().getSimpleName().equals("ServerBootstrapAcceptor")) {
                    Object initializer = field(e.getValue(), "childHandler");
                    Object context = field(initializer, "server");
                    Object sessions = call(context, "sessions");
                    return (Integer) call(sessions, "size");
                }
            }
            throw new IllegalStateException("no ServerBootstrapAcceptor in " + listener.pipeline().names());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the server's internals changed; update ServerInternals", e);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static Object call(Object target, String name) throws ReflectiveOperationException {
        Method m = target.getClass().getDeclaredMethod(name);
        m.setAccessible(true);
        return m.invoke(target);
    }
}
