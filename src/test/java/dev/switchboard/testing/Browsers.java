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

    /** Where scripts/browser-deps leaves axe-core (and the Connect SDK bundle). */
    public static final Path BROWSER_DEPS = Path.of(System.getProperty("switchboard.browserDeps", "target/browser"));
    /** Where the browser tests save their screenshots, kept as CI artifacts. */
    public static final Path SCREENSHOTS = Path.of("target/screenshots");
    public static final Path AXE = BROWSER_DEPS.resolve("axe.min.js");

    /** axe-core's serious and critical violations on the page as it is now, each as "rule: what [where]". */
    public static List<String> seriousViolations(WebDriver browser) {
        try {
            org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser;
            js.executeScript(Files.readString(AXE));
            js.executeScript("window.__axe = undefined; axe.run(document, {resultTypes: ['violations']}).then(r => window.__axe = JSON.stringify(r.violations));");
            String json = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30))
                    .until(d -> (String) ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return window.__axe;"));
            List<String> serious = new ArrayList<>();
            for (tools.jackson.databind.JsonNode violation : dev.switchboard.json.Json.MAPPER.readTree(json)) {
                String impact = violation.path("impact").asString("");
                if (impact.equals("serious") || impact.equals("critical")) {
                    serious.add(violation.get("id").asString() + ": " + violation.get("help").asString() + " " + violation.get("nodes").toString());
                }
            }
            return serious;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Saves the whole page at phone (390 px) and desktop (1280 px) width as {@code <name>-<width>.png} under
     * {@link #SCREENSHOTS}, and checks that nothing is wider than the screen: at phone width a page scrolls down, never sideways.
     */
    public static void screenshots(WebDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser;
            for (int width : new int[] {390, 1280}) {
                int minHeight = width == 390 ? 844 : 900;
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, minHeight));
                afterLayout(browser);
                long height = (Long) js.executeScript("return document.documentElement.scrollHeight;");
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, (int) Math.max(height, minHeight)));
                afterLayout(browser);
                byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), png);
                assertThat(png.length).as("a screenshot of %s at %d px", name, width).isGreaterThan(5_000);
                long overflow = (Long) js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow).as("horizontal overflow of %s at %d px", name, width).isLessThanOrEqualTo(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns once the browser has laid out and painted the page at its new size. */
    private static void afterLayout(WebDriver browser) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
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
