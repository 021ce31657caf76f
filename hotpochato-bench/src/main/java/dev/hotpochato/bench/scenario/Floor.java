package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.BroadcastFloor;
import dev.hotpochato.bench.baseline.PingPongFloor;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Measures the raw Netty floors: a ping-pong with frames the size of a room's Say and TurnGranted,
 * and for rooms of more than two a broadcast of a hand-off's bytes to every member.
 */
final class Floor {

    private Floor() {
    }

    /** The floor's round trips, after {@code warmup} unrecorded ones. */
    record Result(Histogram histogram, long roundTrips, double seconds) {

        /** Two measurements of the same floor taken as one. */
        static Result merge(Result a, Result b) {
            Histogram both = a.histogram().copy();
            both.add(b.histogram());
            return new Result(both, a.roundTrips() + b.roundTrips(), a.seconds() + b.seconds());
        }
    }

    static Result measure(BenchContext ctx, String roomName, long warmup, long count, long maxNanos)
            throws InterruptedException {
        int pingBytes = frameSize(ClientFrame.newBuilder()
                .setSay(Say.newBuilder().setRoom(roomName).setText(ctx.text())).build());
        int pongBytes = frameSize(ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                .setRoom(roomName).setSeq(2 * (warmup + count)).setHolder("b1").setTurn(warmup + count)).build());
        Run run = new Run();
        try (PingPongFloor floor = PingPongFloor.start(ctx.settings().serverThreads(), pongBytes);
             Progress ignored = Measure.progress("floor: raw Netty ping-pong " + pingBytes + "/" + pongBytes
                     + " B", run)) {
            Channel ch = floor.startClient(ctx.load(), run, pingBytes);
            run.awaitTotalHandoffs(warmup, maxNanos);
            run.beginMeasuring();
            run.awaitHandoffs(count, maxNanos);
            run.stop();
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        run.throwIfFailed();
        return new Result(run.histogram(), run.measuredHandoffs(), run.measuredSeconds());
    }

    /**
     * The raw Netty broadcast floor for a room of {@code k}: each hand-off writes a {@code Said} and a
     * {@code TurnGranted}'s bytes to all k connections, the next member first.
     */
    static Result measureBroadcast(BenchContext ctx, String roomName, int k, long warmup, long count, long maxNanos)
            throws InterruptedException {
        int sayBytes = frameSize(ClientFrame.newBuilder()
                .setSay(Say.newBuilder().setRoom(roomName).setText(ctx.text())).build());
        long seq = 2 * (warmup + count);
        int saidBytes = frameSize(ServerFrame.newBuilder().setSaid(Said.newBuilder().setRoom(roomName).setSeq(seq)
                .setSpeaker("b" + (k - 1)).setText(ctx.text()).setTimeMs(System.currentTimeMillis())
                .setTurn(seq / 2)).build());
        int grantedBytes = frameSize(ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                .setRoom(roomName).setSeq(seq).setHolder("b" + (k - 1)).setTurn(seq / 2)).build());
        Run run = new Run();
        try (BroadcastFloor floor = BroadcastFloor.start(ctx.settings().serverThreads(), saidBytes, grantedBytes);
             Progress ignored = Measure.progress("floor: raw Netty broadcast to " + k + ", " + sayBytes + " B in, "
                     + (saidBytes + grantedBytes) + " B out to each", run)) {
            floor.startRoom(ctx.load(), run, k, sayBytes);
            run.awaitTotalHandoffs(warmup, maxNanos);
            run.beginMeasuring();
            run.awaitHandoffs(count, maxNanos);
            run.stop();
        }
        run.throwIfFailed();
        return new Result(run.histogram(), run.measuredHandoffs(), run.measuredSeconds());
    }

    static int frameSize(com.google.protobuf.MessageLite message) {
        ByteBuf buf = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }
}
