package dev.hotpochato.bench.scenario;

/** One kind of measurement; it adds its figures to the context's report. */
public interface Scenario {

    String name();

    void run(BenchContext ctx) throws Exception;
}
