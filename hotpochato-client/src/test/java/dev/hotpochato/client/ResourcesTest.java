package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threads belong to a ClientResources: shared when passed in, a session's own otherwise; nothing static. */
class ResourcesTest extends ServerFixture {

    @Test
    void aSessionOnItsOwnResourcesStopsItsThreadsWhenItEnds() throws Exception {
        Session s = connect("alice");
        CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
        s.ping().whenComplete((d, e) -> callbackThread.complete(Thread.currentThread()));
        Thread t = Futures.await(callbackThread);
        assertTrue(t.getName().startsWith("hotpochato-callback"), t.getName());
        s.close();
        t.join(TimeUnit.SECONDS.toMillis(EventLog.TIMEOUT_SECONDS));
        assertFalse(t.isAlive(), "the session's callback thread stopped with it");
    }

    @Test
    void sessionsShareResourcesThatOutliveThemAndStopWhenShutDown() throws Exception {
        ClientResources resources = ClientResources.builder().ioThreads(1).build();
        try {
            Session a = Futures.await(HotPochatoClient.connect(resources, options("ada").build()));
            Session b = Futures.await(HotPochatoClient.connect(resources, options("bob").build()));
            a.close();
            Futures.await(b.ping()); // the shared threads still run
            EventLog log = new EventLog();
            b.addListener(log);

            Futures.await(resources.shutdown());
            assertTrue(resources.isShutdown());
            log.awaitEvent("disconnected ConnectionClosedException"); // a session left open loses its connection
            assertInstanceOf(IllegalStateException.class,
                    Futures.failure(HotPochatoClient.connect(resources, options("cy").build())));
        } finally {
            resources.shutdown();
        }
    }

    @Test
    void callbacksRunOnAGivenExecutorWhichShutdownLeavesToItsOwner() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-callbacks"));
        ClientResources resources = ClientResources.builder().callbackExecutor(mine).build();
        try {
            EventLog log = new EventLog();
            Session s = Futures.await(HotPochatoClient.connect(resources, options("alice").build()));
            s.addListener(log);
            Futures.await(s.join("mine"));
            log.expect("joined mine");
            Set<String> threads = ConcurrentHashMap.newKeySet();
            threads.addAll(log.threads);
            assertEquals(Set.of("my-callbacks"), threads);
            s.close();
            Futures.await(resources.shutdown());
            assertFalse(mine.isShutdown());
        } finally {
            resources.shutdown();
            mine.shutdown();
        }
    }

    @Test
    void resourcesFromElsewhereAreRefusedPlainly() {
        ClientResources foreign = new ClientResources() {
            @Override
            public int ioThreads() {
                return 1;
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public CompletableFuture<Void> shutdown(java.time.Duration quietPeriod, java.time.Duration timeout) {
                return CompletableFuture.completedFuture(null);
            }
        };
        assertThrows(IllegalArgumentException.class, () -> HotPochatoClient.connect(foreign, options("x").build()));
        assertThrows(InvalidOptionException.class, () -> ClientResources.builder().ioThreads(0));
    }
}
