package dev.switchboard.routes.admin;

/** The rows the console's pages show that are not stored records as they are. */
public final class ConsoleModels {
    private ConsoleModels() {}

    /**
     * A shipped integration as a project has it.
     *
     * @param state {@code enabled}, {@code disabled} or {@code not configured}
     */
    public record IntegrationRow(String key, String name, String authType, int actions, String state) {}

    /**
     * One of an integration's vendor addresses.
     *
     * @param value the project's own address for it; empty when it uses the shipped one
     */
    public record UrlField(String role, String shipped, String value) {}

    /** A link to the next page of a listing; null when this page is the last. */
    public record NextPage(String href) {}
}
