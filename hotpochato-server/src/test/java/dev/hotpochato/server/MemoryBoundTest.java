package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.testing.TestClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client makes the server keep is bounded, whatever it sends and however little it reads.
 *
 * <p>The figure in docs/operations.md (worst-case memory per connection under the default limits)
 * comes from {@link #neverReadingClientsCannotMakeTheServerKeepMoreThanTheirCaps} run with
 * {@code -Dmemory.defaults=true}: then the server has its default limits, and the test prints what
 * each connection cost it at the peak.
 */
class MemoryBoundTest {

    /** Run with the server's default limits, to measure the figure the operations guide gives. */
    private static final boolean DEFAULTS = Boolean.getBoolean("memory.defaults");
    private static final int CONNECTIONS = Integer.getInteger("memory.connections", 20);
    private static final int REQUESTS_PER_KIND = Integer.getInteger("memory.requests", 40);
    /** Heap the server may grow by meanwhile besides its queues: sessions, rooms, parsing, the collector's timing. */
    private static final long HEAP_SLACK = 16L * 1024 * 1024;

    /**
     * ListRooms sent with each round of refused requests. A RoomList holds at most 100 rooms (about
     * 7 kB here), so enough of them that what a connection is owed outgrows the kernel's socket
     * buffers and the server has to queue it.
     */
    private static final int LISTS_PER_REQUEST = 60;

    /** Room and display names as long as a frame allows: whatever the server echoes of them costs it memory. */
    private static final String HUGE = "n".repeat(60_000);

    /**
     * The per-address maximum of connections that never read send what makes a server queue the
     * most: requests it refuses quoting what they named (huge names), and room lists, each small
     * request answered by a long list of the rooms they made. What the server queues for them never
     * exceeds their caps together (every one of them is cut off at its cap), and its heap stays put.
     */
    @Test
    void neverReadingClientsCannotMakeTheServerKeepMoreThanTheirCaps() throws Exception {
        ServerOptions.Builder options = DEFAULTS ? ServerOptions.builder() : ServerOptions.builder()
                .maxConnectionsPerAddress(CONNECTIONS)
                .writeBufferHighWaterMark(16 * 1024).maxPendingOutboundBytes(64 * 1024)
                .slowConsumerTimeout(Duration.ofMinutes(1));
        options.maxFramesPerSecond(1_000_000).frameBurst(1_000_000);
        try (ServerFixture f = new ServerFixture(options)) {
            ServerOptions o = f.server.options();
            int connections = DEFAULTS ? CONNECTIONS : o.maxConnectionsPerAddress();
            long heapBefore = heapAfterGc();
            List<TestClient> hostile = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                TestClient c = f.client("hostile-" + i);
                for (int r = 0; r < o.maxRoomsPerClient(); r++) {
                    String room = "room-" + i + "-" + r + "-";
                    c.join(room + "x".repeat(64 - room.length()));
                }
                for (int r = 0; r < o.maxRoomsPerClient(); r++) {
                    c.expect(ServerFrame.BodyCase.JOINED);
                }
                hostile.add(c);
            }
            for (TestClient c : hostile) {
                c.stopReading();
            }
            for (TestClient c : hostile) {
                for (int i = 0; i < REQUESTS_PER_KIND; i++) {
                    c.write(ClientFrame.newBuilder().setSay(Say.newBuilder().setRoom(HUGE).setText("x")));
                    c.write(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(HUGE + i)));
                    c.write(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom("r").setDisplayName(HUGE)));
                    for (int l = 0; l < LISTS_PER_REQUEST; l++) {
                        c.write(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
                    }
                }
                c.flush();
            }
            // Watched while the server works through what they sent, until it is done (its queues
            // have not changed for a second since they finished sending).
            long perConnection = o.maxPendingOutboundBytes() + o.maxFrameBytes();
            long bound = connections * perConnection;
            long peak = 0;
            List<ChannelFuture> sending = hostile.stream()
                    .map(c -> c.channel().writeAndFlush(Unpooled.EMPTY_BUFFER)).toList();
            long last = -1;
            long steadySince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                long pending = f.server.pendingOutboundBytes();
                peak = Math.max(peak, pending);
                if (pending != last || !sending.stream().allMatch(ChannelFuture::isDone)) {
                    last = pending;
                    steadySince = System.nanoTime();
                } else if (System.nanoTime() - steadySince > TimeUnit.SECONDS.toNanos(1)) {
                    break;
                }
                Thread.sleep(2);
            }
            long heap = heapAfterGc() - heapBefore;
            System.out.printf("MemoryBoundTest: %d never-reading connections (%s limits: at most %d B queued each, "
                            + "%d B frames), each sent %d requests: the server queued at most %.1f MiB for them "
                            + "(%.0f KiB a connection; bound %.0f KiB) and its heap grew by %.1f MiB%n",
                    connections, DEFAULTS ? "default" : "test", o.maxPendingOutboundBytes(), o.maxFrameBytes(),
                    (3 + LISTS_PER_REQUEST) * REQUESTS_PER_KIND, peak / 1048576.0, peak / 1024.0 / connections, perConnection / 1024.0,
                    heap / 1048576.0);
            assertTrue(peak <= bound, "queued " + peak + " bytes, more than " + bound);
            assertTrue(heap <= HEAP_SLACK, "the heap grew by " + heap + " bytes");
            for (TestClient c : hostile) {
                c.startReading();
                c.expectClosed(); // cut off at its cap
            }
        }
    }

    @Test
    void repliesQuoteAtMostAShortExcerptOfTheRequest() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerOptions.builder())) {
            TestClient c = f.client("quoted");
            String name = "\uD83D\uDE00".repeat(10_000); // four-byte characters: 40 kB
            c.say(name, "hello");
            Error unknown = c.expectError(Error.Code.UNKNOWN_ROOM);
            assertExcerpt(unknown.getRoom());
            assertTrue(unknown.getMessage().codePointCount(0, unknown.getMessage().length()) <= 256,
                    unknown.getMessage());
            c.join(name);
            Error invalid = c.expectError(Error.Code.INVALID_ROOM_NAME);
            assertExcerpt(invalid.getRoom());
            c.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom(name).setDisplayName("bell\u0007")));
            Error invite = c.expectError(Error.Code.INVALID_NAME);
            assertExcerpt(invite.getRoom());
            c.join("short");
            c.expect(ServerFrame.BodyCase.JOINED);
            c.say("short", "x");
            assertEquals("short", c.expectError(Error.Code.NOT_YOUR_TURN).getRoom(), "a name that fits is echoed whole");
        }
    }

    /** The first 64 characters of the 10,000 the request named, and an ellipsis. */
    private static void assertExcerpt(String echoed) {
        assertTrue(echoed.equals("\uD83D\uDE00".repeat(64) + "…"),
                () -> "not an excerpt: " + echoed.codePointCount(0, echoed.length()) + " code points");
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
