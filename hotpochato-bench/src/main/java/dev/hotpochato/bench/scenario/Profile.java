package dev.hotpochato.bench.scenario;

/**
 * How big each scenario runs. {@code FULL} is what the targets are held against (the whole set
 * within 15 minutes on 2 cores); {@code QUICK} is all of it in under a minute; {@code TINY} only
 * checks that every scenario works and reports sane figures (the tests use it).
 */
public enum Profile {
    TINY, QUICK, FULL;

    <T> T pick(T tiny, T quick, T full) {
        return switch (this) {
            case TINY -> tiny;
            case QUICK -> quick;
            case FULL -> full;
        };
    }
}
