package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests: Debian's chromium and chromedriver, which .ci/run installs. Without them
 * (or without the other files a test needs) the test is skipped, unless SWITCHBOARD_REQUIRE_BROWSER is set, as .ci/run sets it.
 */
public final class Browsers {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browsers() {}

    /** Skips the test when Chromium or one of the files is missing, unless a browser is required; then fails naming them. */
    public static void require(Path... files) {
        List<Path> needed = new ArrayList<>(List.of(CHROMIUM, CHROMEDRIVER));
        needed.addAll(List.of(files));
        List<Path> missing = needed.stream().filter(p -> !Files.isRegularFile(p)).toList();
        Prerequisites.require(missing.isEmpty(), "SWITCHBOARD_REQUIRE_BROWSER",
                "missing here: " + missing + " (./switchboard test installs them; scripts/browser-deps builds the rest)");
    }

    /** The element once it is on the page and shown, waiting up to 15 s; else a failure quoting what the page reads. */
    public static org.openqa.selenium.WebElement waitFor(WebDriver browser, org.openqa.selenium.By by) {
        try {
            return new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15)).until(d -> {
                List<org.openqa.selenium.WebElement> found = d.findElements(by);
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no " + by + " on the page, which reads: " + browser.findElement(org.openqa.selenium.By.tagName("body")).getText(), e);
        }
    }

    /** A new headless Chromium with its own profile; {@code extraArguments} add to the quiet defaults. */
    public static WebDriver chromium(String... extraArguments) {
        try {
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("chromium"));
            options.addArguments(extraArguments);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
