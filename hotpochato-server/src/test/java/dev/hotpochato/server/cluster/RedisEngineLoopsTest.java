package dev.hotpochato.server.cluster;

import dev.hotpochato.protocol.net.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node lends its event loops to Lettuce ({@link RedisEngine#connect(String, Duration, Duration,
 * EventLoopGroup, Transport, RedisEngine.Channels)}): Redis's answers on the commit connection and the
 * commits published on a room's channel are read on the node's own loop, so a shard there gets them
 * without a hop from a thread of Lettuce's (docs/cluster.md, "A command's path").
 */
class RedisEngineLoopsTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @Test
    void answersAndPublishedCommitsAreReadOnTheNodesOwnLoop() throws Exception {
        EventLoopGroup loops = Transport.best().newGroup(1, "node-loop");
        CompletableFuture<String> publishedOn = new CompletableFuture<>();
        RedisEngine redis = RedisEngine.connect(REDIS.uri(), Duration.ofSeconds(5), NodeLiveness.DEFAULT_TIMEOUT, loops,
                Transport.best(), new RedisEngine.Channels() {
                    @Override
                    public void published(String room, byte[] message) {
                        publishedOn.complete(room + " on " + Thread.currentThread().getName());
                    }

                    @Override
                    public void subscribed(String room) {
                    }
                });
        try {
            // Held by a blocking pop until the test pushes: the stage is watched before Redis answers.
            CompletableFuture<String> answeredOn = redis.holdCommitConnection(5)
                    .thenApply(popped -> Thread.currentThread().getName()).toCompletableFuture();
            assertEquals(":1", REDIS.command("LPUSH hp:test:never x"));
            String answered = answeredOn.get(5, TimeUnit.SECONDS);
            assertTrue(answered.startsWith("node-loop"), "answered on " + answered);

            redis.subscribe("r").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(":1", REDIS.command("PUBLISH hp:{r}:c x"));
            String published = publishedOn.get(5, TimeUnit.SECONDS);
            assertTrue(published.startsWith("r on node-loop"), published);
        } finally {
            redis.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
