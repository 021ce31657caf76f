package dev.hotpochato.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The web page as a person uses it, through a real browser: what it shows is read from the
 * document, what is done is done with the keyboard and the mouse, never by calling the page's code.
 */
final class ChatPage {

    /** Long enough for a loaded machine; only reached when a test is about to fail anyway. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A line of the conversation as shown: its kind (said, system, error), speaker and text. */
    record Line(String kind, String speaker, String text) {
        @Override
        public String toString() {
            return kind + (speaker.isEmpty() ? "" : " " + speaker) + ": " + text;
        }
    }

    final ChromeDriver driver;
    private final String url;

    ChatPage(ChromeDriver driver, String url) {
        this.driver = driver;
        this.url = url;
    }

    /** Loads the page afresh, forgetting any name it remembered. */
    ChatPage open() {
        driver.get(url);
        script("localStorage.clear();");
        driver.navigate().refresh();
        waitUntil("the page has loaded", () -> "complete".equals(script("return document.readyState;")));
        return this;
    }

    WebElement el(String id) {
        return driver.findElement(By.id(id));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    void type(String id, String text) {
        WebElement e = el(id);
        e.clear();
        e.sendKeys(text);
    }

    /** Joins {@code room} as {@code name} from the lobby, and waits until the room is shown. */
    ChatPage join(String name, String room) {
        type("name", name);
        type("room", room);
        el("join").click();
        waitUntil("the room " + room + " is shown", () -> el("chat").isDisplayed());
        return this;
    }

    /**
     * Joins {@code room} as {@code name} from the lobby, choosing how a new room shares its turns
     * ({@code policy}: the option's value, ROUND_ROBIN, QUEUE or MODERATED) and whether to join as
     * audience, and waits until the room is shown.
     */
    ChatPage join(String name, String room, String policy, boolean audience) {
        type("name", name);
        type("room", room);
        if (!"ROUND_ROBIN".equals(policy)) {
            el("new-room").findElement(By.tagName("summary")).click();
            new org.openqa.selenium.support.ui.Select(el("policy")).selectByValue(policy);
        }
        if (el("audience").isSelected() != audience) {
            el("audience").click();
        }
        el("join").click();
        waitUntil("the room " + room + " is shown", () -> el("chat").isDisplayed());
        return this;
    }

    /** Presses the button {@code id} from the keyboard: focus it, then Enter. */
    void press(String id) {
        WebElement button = el(id);
        waitUntil(id + " can be pressed", () -> button.isDisplayed() && button.isEnabled());
        button.sendKeys(Keys.ENTER);
    }

    /** The raised hands as shown, in order: "name: position · state". */
    @SuppressWarnings("unchecked")
    List<String> hands() {
        return (List<String>) script("return [...document.querySelectorAll('#hands li.hand:not(.none)')].map(li =>"
                + " li.querySelector('.hand-name').textContent + ': ' + li.querySelector('.hand-state').textContent);");
    }

    /** The member tags shown beside {@code name} (chair, audience, muted, hand N...). */
    @SuppressWarnings("unchecked")
    List<String> tags(String name) {
        return (List<String>) script("const li = [...document.querySelectorAll('#members li')].find(li =>"
                + " li.querySelector('.member-name').textContent === arguments[0]);"
                + " return li ? [...li.querySelectorAll('.member-tag')].map(t => t.textContent) : [];", name);
    }

    /** As a chair: picks {@code member} in the chair's form, with the keyboard. */
    void chooseMember(String member) {
        waitUntil(member + " can be chosen", () -> el("chair-member").isDisplayed()
                && el("chair-member").findElements(By.cssSelector("option[value='" + member + "']")).size() == 1);
        new org.openqa.selenium.support.ui.Select(el("chair-member")).selectByValue(member);
    }

    /** Types {@code text} into the composer and presses Enter. */
    void enter(String text) {
        WebElement input = el("input");
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    boolean myTurn() {
        return "mine".equals(el("turn").getAttribute("data-state"));
    }

    void awaitMyTurn() {
        waitUntil("it is this page's turn", this::myTurn);
    }

    /** The conversation as shown, in order. */
    @SuppressWarnings("unchecked")
    List<Line> lines() {
        List<Map<String, String>> raw = (List<Map<String, String>>) script(
                "return [...document.querySelectorAll('#transcript li')].map(li => ({kind: li.classList[0],"
                        + " speaker: li.querySelector('.speaker') ? li.querySelector('.speaker').textContent : '',"
                        + " text: li.querySelector('.text').textContent}));");
        return raw.stream().map(m -> new Line(m.get("kind"), m.get("speaker"), m.get("text"))).toList();
    }

    /** What was said, as "speaker: text", in order. */
    List<String> said() {
        return lines().stream().filter(l -> l.kind().equals("said")).map(l -> l.speaker() + ": " + l.text()).toList();
    }

    List<String> system() {
        return lines().stream().filter(l -> l.kind().equals("system")).map(Line::text).toList();
    }

    /** Waits until {@code line} ("speaker: text") has been said. */
    void awaitSaid(String line) {
        waitUntil("'" + line + "' is shown", () -> said().contains(line));
    }

    void awaitSystem(String text) {
        waitUntil("the system line '" + text + "' is shown", () -> system().contains(text));
    }

    /** The members in turn order, as shown, and which one is highlighted as the holder. */
    @SuppressWarnings("unchecked")
    List<String> members() {
        return (List<String>) script("return [...document.querySelectorAll('#members li')].map(li =>"
                + " li.querySelector('.member-name').textContent + (li.classList.contains('holder') ? ' *' : ''));");
    }

    String connection() {
        return el("connection").getAttribute("data-state");
    }

    void waitUntil(String what, Supplier<Boolean> condition) {
        waitUntil(driver, what, condition);
    }

    static void waitUntil(WebDriver driver, String what, Supplier<Boolean> condition) {
        new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(50))
                .withMessage(() -> "waited " + TIMEOUT.toSeconds() + " s until " + what)
                .until((Function<WebDriver, Boolean>) d -> condition.get());
    }
}
