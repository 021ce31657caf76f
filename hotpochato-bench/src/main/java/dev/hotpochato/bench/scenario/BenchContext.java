package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.LoadGroup;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.sut.InProcessServer;
import dev.hotpochato.bench.sut.RemoteServer;
import dev.hotpochato.bench.sut.ServerUnderTest;
import dev.hotpochato.bench.sut.SpawnedServer;

import java.io.IOException;

/** One benchmark invocation: its settings, its load generator and the report it fills. */
public final class BenchContext implements AutoCloseable {

    private final Settings settings;
    private final Report report;
    private final LoadGroup load;

    public BenchContext(Settings settings, Report report) {
        this.settings = settings;
        this.report = report;
        this.load = new LoadGroup(settings.clientThreads());
    }

    public Settings settings() {
        return settings;
    }

    public Report report() {
        return report;
    }

    public LoadGroup load() {
        return load;
    }

    /** The text every bot says: {@code textBytes} ASCII characters. */
    public String text() {
        return "hot potato! ".repeat(settings.textBytes() / 12 + 1).substring(0, settings.textBytes());
    }

    /**
     * The server to drive: the one at {@code --host/--port} if given, else a new one run as the
     * settings say ({@code preferred} when they leave it to the scenario).
     */
    public ServerUnderTest openServer(int maxMembersPerRoom, Settings.ServerMode preferred)
            throws InterruptedException, IOException {
        if (settings.host() != null) {
            return new RemoteServer(settings.host(), settings.port());
        }
        Settings.ServerMode mode = settings.serverMode() == Settings.ServerMode.AUTO ? preferred : settings.serverMode();
        if (mode == Settings.ServerMode.SPAWN) {
            return SpawnedServer.start(settings.serverThreads(), maxMembersPerRoom, settings.serverJvmArgs());
        }
        return InProcessServer.start(settings.serverThreads(), maxMembersPerRoom);
    }

    @Override
    public void close() {
        load.close();
    }
}
