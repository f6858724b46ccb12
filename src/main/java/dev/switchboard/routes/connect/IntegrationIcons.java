package dev.switchboard.routes.connect;

import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Integration icons at {@code /integrations/<key>.svg}, the path the Connect SDK builds its icon URLs with (on its
 * dashboard host): the brand icons shipped in {@code connect/icons} (Simple Icons, CC0; see the NOTICE there) in the
 * vendor's colour, or a monogram on the brand colour for the others. Public: an icon says nothing about a project.
 */
public final class IntegrationIcons {
    private final IntegrationCatalog catalog;
    private final Map<String, byte[]> drawn = new ConcurrentHashMap<>();

    public IntegrationIcons(IntegrationCatalog catalog) {
        this.catalog = catalog;
    }

    public void register(RoutesConfig routes) {
        routes.get("/integrations/{file}", this::icon);
    }

    private void icon(Context ctx) {
        String file = ctx.pathParam("file");
        String key = file.endsWith(".svg") ? file.substring(0, file.length() - 4) : null;
        IntegrationDefinition integration = key == null ? null : catalog.integration(key).orElse(null);
        if (integration == null) {
            ctx.status(404).contentType("text/plain").result("No such icon.");
            return;
        }
        byte[] svg = drawn.computeIfAbsent(key, k -> draw(integration));
        ctx.contentType("image/svg+xml").header("Cache-Control", "public, max-age=86400").header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'").result(svg);
    }

    private static byte[] draw(IntegrationDefinition integration) {
        try (InputStream in = IntegrationIcons.class.getClassLoader().getResourceAsStream("connect/icons/" + integration.key() + ".svg")) {
            if (in != null) {
                String svg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return svg.replaceFirst("<svg ", "<svg fill=\"" + integration.brandColor() + "\" ").getBytes(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return monogram(integration).getBytes(StandardCharsets.UTF_8);
    }

    /** The name's capitals (at most two: ServiceNow is SN), or its first letter, white on the brand colour. */
    static String monogram(IntegrationDefinition integration) {
        String capitals = integration.name().chars().filter(Character::isUpperCase).limit(2)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String letters = capitals.isEmpty() ? integration.name().substring(0, 1).toUpperCase() : capitals;
        return "<svg role=\"img\" viewBox=\"0 0 24 24\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + escape(integration.name())
                + "</title><rect width=\"24\" height=\"24\" rx=\"5\" fill=\"" + integration.brandColor() + "\"/>"
                + "<text x=\"12\" y=\"16\" font-family=\"system-ui,sans-serif\" font-size=\"" + (letters.length() > 1 ? 10 : 13)
                + "\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">" + escape(letters) + "</text></svg>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
