package dev.switchboard.examples;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} driven by its
 * {@code chromedriver}, both found on the {@code PATH} or in {@code /usr/bin}. Nothing is ever
 * downloaded: the driver and browser binaries are given explicitly, so Selenium Manager is not
 * consulted. Where either is missing the tests are skipped with a message saying what to install.
 */
final class Chromium implements AutoCloseable {
    /** How long any expected outcome may take before a test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    // Selenium warns that its CDP bindings trail the installed Chromium; the tests use WebDriver
    // only, never CDP. A strong reference keeps the level set (java.util.logging holds loggers weakly).
    private static final Logger CDP_LOGGER = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOGGER.setLevel(Level.SEVERE);
    }

    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser");
    private static final List<String> DRIVERS = List.of("chromedriver");

    private final WebDriver driver;
    private final Path profile;

    private Chromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** @return whether Chromium and ChromeDriver are installed */
    static boolean installed() {
        return browserBinary().isPresent() && driverBinary().isPresent();
    }

    /**
     * Skips the calling test, with a message saying what to install, unless Chromium and
     * ChromeDriver are installed. Called per test (not in {@code @BeforeAll}) so that each skipped
     * test is reported as skipped, with the reason, rather than silently not counted.
     */
    static void assumeInstalled() {
        Assumptions.assumeTrue(installed(),
                "Browser test skipped: Chromium and ChromeDriver not found on the PATH or in /usr/bin "
                        + "(on Debian: apt-get install chromium chromium-driver; .ci/run does this)");
    }

    /**
     * Starts a headless browser with a fresh profile; {@link #installed()} must be true.
     *
     * @return the browser, to be closed by the caller
     */
    static Chromium start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browserBinary().orElseThrow().toFile());
        // Tests run as root on machines without internet: no sandbox, no GPU, no background network.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary().orElseThrow().toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            return new Chromium(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    /** @return the WebDriver */
    WebDriver driver() {
        return driver;
    }

    /** Opens {@code url} in this browser. */
    void open(String url) {
        driver.get(url);
    }

    /**
     * Returns, and clears, the console errors the pages have logged since the last call: uncaught
     * exceptions, failed requests. A missing favicon is not counted.
     *
     * @return the errors' messages
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("favicon.ico"))
                .toList();
    }

    /** Leaves the current page (its {@code pagehide} closes the page's connection). */
    void leave() {
        driver.get("about:blank");
    }

    /** @return the element, once it exists */
    WebElement find(String css) {
        return await(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)), () -> "no element " + css);
    }

    /** Clicks the element once it is visible and enabled. */
    void click(String css) {
        await(ExpectedConditions.elementToBeClickable(By.cssSelector(css)), () -> css + " never became clickable")
                .click();
    }

    /** Replaces the text of the input matched by {@code css}. */
    void type(String css, String text) {
        WebElement input = await(ExpectedConditions.elementToBeClickable(By.cssSelector(css)),
                () -> css + " never became editable");
        input.clear();
        input.sendKeys(text);
    }

    /** Runs {@code script} in the page and returns its result. */
    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Waits until {@code condition} returns a non-null, non-false value, for at most {@link #TIMEOUT}.
     *
     * @param condition evaluated repeatedly against the driver
     * @param whatWasSeen describes the page's state for the failure message
     * @return the condition's value
     */
    <T> T await(Function<WebDriver, T> condition, Supplier<String> whatWasSeen) {
        return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(whatWasSeen)
                .until(condition);
    }

    @Override
    public void close() {
        try {
            driver.quit(); // also stops this browser's chromedriver
        } finally {
            deleteQuietly(profile);
        }
    }

    private static Optional<Path> browserBinary() {
        return locate(BROWSERS);
    }

    private static Optional<Path> driverBinary() {
        return locate(DRIVERS);
    }

    /** The first of {@code names} that is executable on the PATH, else in /usr/bin. */
    private static Optional<Path> locate(List<String> names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        Stream<Path> dirs = Stream.concat(
                Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of),
                Stream.of(Path.of("/usr/bin")));
        return dirs.flatMap(dir -> names.stream().map(dir::resolve))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp profile left behind is harmless
        }
    }
}
