package dev.hotpochato.bench.load;

import io.netty.util.ResourceLeakDetector;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The main class of one {@link SpawnedIdleClients} child JVM: a load generator of its own, with its
 * own file-descriptor limit, that connects {@code count} idle clients (Hello, then silence) to
 * {@code host:port} from 127.0.0.2 .. 127.0.0.(1+N), prints one line
 * {@code CONNECTED held seconds failures [first failure]}, and holds them until {@code quit} or end
 * of input. Arguments: host, port, count, source addresses, name prefix.
 */
public final class IdleClientsProcess {

    private IdleClientsProcess() {
    }

    public static void main(String[] args) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int sourceAddresses = Integer.parseInt(args[3]);
        String prefix = args[4];
        Run run = new Run();
        try (LoadGroup load = new LoadGroup(1);
             Bots bots = Bots.connect(load, server, new Bots.Plan(count, sourceAddresses, 512, false, Duration.ofMinutes(5)),
                     i -> new Bot(prefix + i, run, name -> null, ""), null)) {
            System.out.println(String.format(Locale.ROOT, "CONNECTED %d %.3f %d %s", bots.size(), bots.connectSeconds(),
                    bots.failures(), bots.firstFailure() == null ? "" : bots.firstFailure().replace('\n', ' ')));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                // Only quit (or the parent's end) matters.
            }
        }
    }
}
