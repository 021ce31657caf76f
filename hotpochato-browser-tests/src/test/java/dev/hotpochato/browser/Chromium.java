package dev.hotpochato.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through chromedriver: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} unless {@code -Dhotpochato.chromium} and {@code -Dhotpochato.chromedriver}
 * say otherwise. Both are named explicitly, so Selenium Manager never looks for (or downloads)
 * anything. Each browser gets a profile of its own in a fresh directory, deleted at close.
 *
 * <p>Without a browser the tests are skipped, saying why; on CI ({@code CI=true}) they fail instead,
 * so that a missing browser cannot pass for a passing suite.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("hotpochato.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("hotpochato.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test class (or fails it on CI) when there is no browser to drive. */
    static void require() {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
            return;
        }
        String why = "the browser tests need Chromium and chromedriver at " + BINARY + " and " + DRIVER
                + " (Debian: apt-get install chromium chromium-driver; elsewhere -Dhotpochato.chromium=PATH "
                + "-Dhotpochato.chromedriver=PATH)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and no browser: " + why);
        }
        Assumptions.abort(why);
    }

    /** A new browser with a window of {@code width} x {@code height} CSS pixels. */
    static Chromium start(int width, int height) {
        require();
        Path profile;
        try {
            profile = Files.createTempDirectory("hotpochato-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                // Timers of a window that is not in front must not be throttled: the tests run two at once.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().window().setSize(new Dimension(width, height));
        return new Chromium(driver, profile);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory; the system cleans it up eventually
            }
        }
    }
}
