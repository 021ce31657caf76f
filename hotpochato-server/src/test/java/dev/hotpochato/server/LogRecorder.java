package dev.hotpochato.server;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what the named loggers log at {@code level} or above while it is open, one line each:
 * "LEVEL simple-logger-name: message". Sets those loggers to {@code level} meanwhile and puts
 * their levels back on close.
 */
public final class LogRecorder implements AutoCloseable {

    private final List<String> recorded = new ArrayList<>();
    private final Appender appender = new Appender();
    private final Map<String, Level> previous = new HashMap<>();

    public LogRecorder(Level level, String... loggers) {
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        for (String logger : loggers) {
            previous.put(logger, LogManager.getLogger(logger).getLevel());
            Configurator.setLevel(logger, level);
        }
        context.getConfiguration().getRootLogger().addAppender(appender, level, null);
        context.updateLoggers();
    }

    /** The lines recorded so far. */
    public List<String> lines() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        previous.forEach(Configurator::setLevel);
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        Appender() {
            super("log-recorder-" + System.identityHashCode(LogRecorder.this), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            String logger = event.getLoggerName();
            synchronized (recorded) {
                recorded.add(event.getLevel() + " " + logger.substring(logger.lastIndexOf('.') + 1) + ": "
                        + event.getMessage().getFormattedMessage());
            }
        }
    }
}
