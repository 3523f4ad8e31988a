package dev.continuity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Error bodies become one bounded line, whatever the gateway sends. */
@Tag("adversarial")
class ErrorSummaryTest {

    @Test
    void anHtmlPageBecomesItsTitleAndFirstWords() {
        String page = "<html><head><title>502 Bad Gateway</title><style>p{}</style></head>\n<body>\n"
                + "<h1>502 Bad Gateway</h1>\n<!-- x --><p>nginx &amp; friends</p><script>alert(1)</script></body></html>";
        assertThat(ErrorSummary.of(502, null, page)).isEqualTo("HTTP 502 Bad Gateway: 502 Bad Gateway nginx & friends");
    }

    @Test
    void aJsonErrorBodyBecomesCodeAndMessage() {
        assertThat(ErrorSummary.of("400: {\"error\":{\"code\":\"invalid_value\",\"message\":\"bad \\\"x\\\"\"}}"))
                .isEqualTo("400: invalid_value: bad \"x\"");
    }

    @Test
    void longAndMultiLineTextIsBoundedToOneLine() {
        String summary = ErrorSummary.of("line one\nline two\r\n\t" + "word ".repeat(500));
        assertThat(summary).startsWith("line one line two word").doesNotContain("\n").endsWith("…");
        assertThat(summary.length()).isLessThanOrEqualTo(ErrorSummary.MAX_LENGTH + 1);
        assertThat(ErrorSummary.of(null)).isEqualTo("(no message)");
        assertThat(ErrorSummary.of("<html><body>  </body></html>")).isEqualTo("(no message)");
        assertThat(ErrorSummary.firstLineOf("Request rate is large\n{\"diagnostics\": 1}")).isEqualTo(
                "Request rate is large");
    }
}
