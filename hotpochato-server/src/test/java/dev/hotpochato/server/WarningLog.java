package dev.hotpochato.server;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every warning and error logged while it is open. An exception that escapes a handler
 * never reaches the test: Netty logs it (the pipeline's tail, an event loop's task runner) and the
 * server's ErrorHandler logs what it could only call INTERNAL. Counting warnings is how a test sees
 * them. Uncaught exceptions on other threads are recorded too.
 */
final class WarningLog implements AutoCloseable {

    private final List<String> recorded = new ArrayList<>();
    private final Appender appender = new Appender();
    private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();

    WarningLog() {
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
        context.updateLoggers();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> record("uncaught on " + thread.getName() + ": " + e));
    }

    /** What was logged at WARN or above so far, one line each. */
    List<String> warnings() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    private void record(String line) {
        synchronized (recorded) {
            recorded.add(line);
        }
    }

    @Override
    public void close() {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        Appender() {
            super("warning-log-" + System.identityHashCode(WarningLog.this), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            Throwable thrown = event.getThrown();
            record(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage()
                    + (thrown == null ? "" : " (" + thrown + ")"));
        }
    }
}
