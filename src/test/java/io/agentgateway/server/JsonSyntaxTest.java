package io.agentgateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Broken JSON is described by where it breaks and what is wrong, from Jackson's real exceptions, without its internals. */
class JsonSyntaxTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"model":"gpt-4","messages":[{"role":"user","content":"Hello"}  | line 1, column 63: the body ends inside an array (opened at line 1, column 29)
            {"model":"gpt-4"                                                   | line 1, column 17: the body ends inside an object (opened at line 1, column 1)
            {"model":"gpt-4                                                    | line 1, column 16: the body ends inside a string
            {"model":'gpt-4'}                                                  | line 1, column 10: unexpected character ''': expected a JSON value (a string in double quotes, a number, an array, an object, true, false or null)
            {'model':"gpt-4"}                                                  | line 1, column 2: unexpected character ''': was expecting double-quote to start field name
            {"model":gpt}                                                      | line 1, column 10: unrecognized token 'gpt' (strings need double quotes; literals are true, false and null)
            {"a":[1,2}                                                         | line 1, column 10: '}' where ']' should close what was opened (opened at line 1, column 6)
            """)
    void saysWhereAndWhat(String body, String described) {
        String text = body.trim();
        try {
            Json.MAPPER.readTree(text);
            fail("parsed: " + text);
        } catch (JsonProcessingException e) {
            assertThat(JsonSyntax.describe(e)).isEqualTo(described.trim())
                    .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("code ").doesNotContain("marker");
        }
    }
}
