package dev.switchboard.routes.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.outcomes.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a proxied call may go: the URL rules alone, nothing sent anywhere. */
class ProxyTargetTest {
    private static final String API = "https://www.googleapis.com/drive/v3";
    private static final List<String> ALLOWED = List.of(API, "https://www.googleapis.com/upload/drive/v3");

    @ParameterizedTest(name = "{0} ? {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "files                | -                | https://www.googleapis.com/drive/v3/files",
            "files/abc            | fields=id%2Cname | https://www.googleapis.com/drive/v3/files/abc?fields=id%2Cname",
            "files/a%20b          | -                | https://www.googleapis.com/drive/v3/files/a%20b",
            "files/..data         | -                | https://www.googleapis.com/drive/v3/files/..data",
            "files/...            | -                | https://www.googleapis.com/drive/v3/files/...",
            "files/%2e%2e%2e      | -                | https://www.googleapis.com/drive/v3/files/%2e%2e%2e",
            "files/..;/x          | -                | https://www.googleapis.com/drive/v3/files/..;/x",
            "files/%2ex           | -                | https://www.googleapis.com/drive/v3/files/%2ex",
    })
    void aRelativePathIsResolvedBelowTheApiUrl(String path, String query, String expected) {
        assertThat(ProxyTarget.resolve(API, ALLOWED, path, query, null).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../../oauth2/v4/token", "files/../../x", "%2e%2e/x", "files/%2E%2E/x", "files%2Fx", "files%5cx",
            "files\\..\\x", "files/%00", "a b", "./files", "files/.", ".%2e/x", "files/%2E./x", "files/%2e", "files/%2F", "files/%5C",
            "files/%7f\u007f", "files/\t"})
    void aPathThatWouldClimbOutOrHideSomethingIsRefused(String path) {
        assertThatThrownBy(() -> ProxyTarget.resolve(API, ALLOWED, path, null, null))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo("proxy_url_not_allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8", "application/vnd.api+json", "application/problem+json",
            "application/x-json", "application/jsonp", "application/json-seq", "application/a.b-c+d+json;x", "application/+json",
            "application/vnd+json+xml", "application/xml", "text/json", "application/", "application", "", "application/ json",
            "application/vnd.api+JSON", "application/vnd_api+json", "APPLICATION/Vnd.Api+Json"})
    void aJsonAnswerIsTheTypeThePatternNames(String contentType) {
        boolean byPattern = java.util.regex.Pattern.compile("application/([a-z.+-]*\\+)?json.*").matcher(contentType.toLowerCase(java.util.Locale.ROOT)).matches();
        assertThat(ProxyRoutes.isJson(contentType)).isEqualTo(byPattern);
    }

    @Test
    void aQueryWithControlCharactersIsRefusedAndAMissingPathIsNamed() {
        assertThatThrownBy(() -> ProxyTarget.resolve(API, ALLOWED, "files", "q=a\u0000b", null)).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> ProxyTarget.resolve(API, ALLOWED, null, null, null))
                .hasMessageContaining("X-Paragon-Proxy-Url");
    }

    @Test
    void theUrlHeaderMayNameAnyOfTheIntegrationsOwnUrls() {
        assertThat(ProxyTarget.resolve(API, ALLOWED, null, null, "https://www.googleapis.com/upload/drive/v3/files?uploadType=media").toString())
                .isEqualTo("https://www.googleapis.com/upload/drive/v3/files?uploadType=media");
        assertThat(ProxyTarget.resolve(API, ALLOWED, "ignored", null, "files/abc?alt=media").toString())
                .as("a relative header URL is resolved like a path").isEqualTo("https://www.googleapis.com/drive/v3/files/abc?alt=media");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://evil.example.com/drive/v3/files", "http://www.googleapis.com/drive/v3/files",
            "https://www.googleapis.com:8443/drive/v3/files", "https://user:pw@www.googleapis.com/drive/v3/files",
            "https://www.googleapis.com@evil.example.com/x", "ftp://www.googleapis.com/drive/v3", "//evil.example.com/x",
            "https://www.googleapis.com/drive/v3/files#frag", "https://www.googleapis.com/drive/v3/%2e%2e/x", "file:///etc/passwd"})
    void aUrlHeaderOffTheIntegrationsHostsIsRefused(String url) {
        assertThatThrownBy(() -> ProxyTarget.resolve(API, ALLOWED, null, null, url))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo("proxy_url_not_allowed"));
    }
}
