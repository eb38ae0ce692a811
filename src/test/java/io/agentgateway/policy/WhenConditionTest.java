package io.agentgateway.policy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static io.agentgateway.policy.Policies.engine;
import static io.agentgateway.policy.Policies.model;
import static io.agentgateway.policy.Policies.ns;
import static io.agentgateway.policy.Policies.request;
import static io.agentgateway.policy.Policies.sa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CEL {@code when:} conditions: true, false, failing (fail closed), compile errors, every variable. */
class WhenConditionTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuthorizationPolicies.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    /** The seed's example condition, exactly as DESIGN.md writes it, on an allow policy. */
    static final String PROD_ENV = """
            authorization:
              policies:
                - name: prod-policy
                  match:
                    kubernetes:
                      namespace: production
                  resources: ["model:gpt-4"]
                  action: allow
                  when: 'request.headers["x-env"] == "prod"'
            """;

    @Test
    void allowPolicyAppliesOnlyWhenItsConditionIsTrue() {
        AuthorizationPolicies engine = engine(PROD_ENV);
        assertThat(engine.decide(ns("production"), model("gpt-4"), request("X-Env", "prod")))
                .isEqualTo(Decision.allow("prod-policy"));
        Decision other = engine.decide(ns("production"), model("gpt-4"), request("x-env", "staging"));
        assertThat(other.allowed()).isFalse();
        assertThat(other.policy()).isEqualTo("default");
        assertThat(logged.list).as("false is not a failure").isEmpty();
    }

    @Test
    void failingConditionDoesNotMatchAnAllowPolicyAndIsLoggedOnce() {
        AuthorizationPolicies engine = engine(PROD_ENV);
        for (int i = 0; i < 3; i++) {
            Decision d = engine.decide(ns("production"), model("gpt-4"), request()); // no x-env: no such key
            assertThat(d.allowed()).isFalse();
            assertThat(d.policy()).isEqualTo("default");
        }
        assertThat(logged.list).hasSize(1);
        ILoggingEvent event = logged.list.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getFormattedMessage()).contains("authorization.policies[0].when", "prod-policy", "x-env",
                "not matching", "allow policy");
    }

    @Test
    void failingConditionMatchesADenyPolicy() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  default_action: allow
                  policies:
                    - name: block-unlabelled
                      resources: ["model:*"]
                      action: deny
                      when: 'request.headers["x-team"] != "platform"'
                """);
        assertThat(engine.decide(ns("dev"), model("gpt-4"), request("x-team", "platform"))).isEqualTo(Decision.allow("default"));
        assertThat(engine.decide(ns("dev"), model("gpt-4"), request("x-team", "web")))
                .isEqualTo(Decision.deny("block-unlabelled", "denied by policy block-unlabelled"));
        Decision failed = engine.decide(ns("dev"), model("gpt-4"), request());
        assertThat(failed.allowed()).isFalse();
        assertThat(failed.policy()).isEqualTo("block-unlabelled");
        assertThat(failed.reason()).contains("could not be evaluated");
        engine.decide(ns("dev"), model("gpt-4"), request());
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage()).contains("block-unlabelled", "treated as matching", "deny policy");
    }

    @Test
    void aDynamicResultThatIsNotABoolIsAFailure() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  default_action: allow
                  policies:
                    - {name: claim-gate, resources: ["*"], action: deny, when: 'principal.claims["api_key"]'}
                """);
        Decision d = engine.decide(ns("dev"), model("gpt-4"), request());
        assertThat(d.policy()).isEqualTo("claim-gate");
        assertThat(d.allowed()).isFalse();
        assertThat(logged.list.get(0).getFormattedMessage()).contains("returned String, not a bool");
    }

    @Test
    void failureMessagesNeverQuoteRequestValues() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: numeric, resources: ["*"], action: allow, when: 'int(request.headers["x-tier"]) > 2'}
                """);
        engine.decide(ns("dev"), model("gpt-4"), request("x-tier", "secret-looking-value"));
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage()).doesNotContain("secret-looking-value").contains("bad format");
    }

    @Test
    void aDeniedOutcomeNeedsNoFurtherAllowConditions() {
        // the allow policy's condition would fail; once one allow matched it is not evaluated at all
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: open, resources: ["model:*"], action: allow}
                    - {name: gated, resources: ["model:*"], action: allow, when: 'request.headers["x-missing"] == "y"'}
                """);
        assertThat(engine.decide(ns("dev"), model("gpt-4"), request())).isEqualTo(Decision.allow("open"));
        assertThat(logged.list).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            request.method == "POST"                                         | true
            request.method == "GET"                                          | false
            request.path == "/v1/chat/completions"                           | true
            request.path.startsWith("/v1/")                                  | true
            request.headers["x-env"] == "prod"                               | true
            "x-env" in request.headers                                       | true
            "X-Env" in request.headers                                       | false
            request.headers["x-multi"] == "a, b"                             | true
            !("authorization" in request.headers)                            | true
            !("cookie" in request.headers)                                   | true
            request.headers.size() == 2                                      | true
            request.headers.exists(h, h.startsWith("x-"))                    | true
            principal.namespace == "dev-team"                                | true
            principal.service_account == "code-assistant"                    | true
            principal.subject == "system:serviceaccount:dev-team:code-assistant" | true
            principal.method == "jwt"                                        | true
            principal.claims["groups"].exists(g, g == "admins")              | true
            principal.claims["level"] == 3                                   | true
            principal.claims["verified"] == true                             | true
            principal.claims["org"]["id"] == "acme"                          | true
            principal.claims["org"]["parent"] == null                        | true
            principal.claims["exp"] > 1700000000                             | true
            resource.id == "model:gpt-4o"                                    | true
            resource.kind == "model"                                         | true
            resource.name == "gpt-4o"                                        | true
            resource.name.lowerAscii().contains("gpt")                       | true
            resource.namespace == "" && resource.server == ""                | true
            """)
    void everyVariableIsBound(String expression, boolean expected) throws Exception {
        Map<String, Object> claims = new java.util.HashMap<>();
        claims.put("groups", List.of("devs", "admins"));
        claims.put("level", 3); // an Integer, as some JSON readers produce
        claims.put("verified", true);
        Map<String, Object> org = new java.util.HashMap<>();
        org.put("id", "acme");
        org.put("parent", null); // JSON null inside a claim
        claims.put("org", org);
        claims.put("exp", new java.util.Date(1_800_000_000_000L));
        Principal p = new Principal("dev-team", "code-assistant", "system:serviceaccount:dev-team:code-assistant", "jwt", claims);
        RequestFacts facts = request("X-Env", "prod", "x-multi", "a", "X-Multi", "b",
                "Authorization", "Bearer sk-secret", "Cookie", "session=1");
        assertThat(Condition.cel(expression).test(new ConditionInput(p, model("gpt-4o"), facts))).isEqualTo(expected);
    }

    @Test
    void resourceVariablesForToolsAndAgents() throws Exception {
        Condition tool = Condition.cel("resource.kind == 'mcp' && resource.server == 'github-server' "
                + "&& resource.name == 'create_review' && resource.id == 'mcp:github-server/create_review'");
        assertThat(tool.test(new ConditionInput(sa("dev-team", "a"), new Resource.McpTool("github-server", "create_review"),
                RequestFacts.EMPTY))).isTrue();
        Condition agent = Condition.cel("resource.kind == 'agent' && resource.namespace == 'production' "
                + "&& resource.name == 'db-agent' && resource.id == 'agent:production/db-agent'");
        assertThat(agent.test(new ConditionInput(sa("dev-team", "a"), new Resource.Agent("production", "db-agent"),
                RequestFacts.EMPTY))).isTrue();
    }

    @Test
    void absentPrincipalFieldsAreEmptyStrings() throws Exception {
        Condition c = Condition.cel("principal.service_account == '' && principal.namespace == 'dev'");
        assertThat(c.test(new ConditionInput(ns("dev"), model("x"), RequestFacts.EMPTY))).isTrue();
        Condition anonymous = Condition.cel("principal.namespace == '' && principal.method == 'none'");
        assertThat(anonymous.test(new ConditionInput(Principal.ANONYMOUS, model("x"), RequestFacts.EMPTY))).isTrue();
    }

    @Test
    void conditionsThatDoNotCompileAreConfigErrorsAtTheirPath() {
        ConfigException e = compileErrors("""
                authorization:
                  policies:
                    - {name: fine, resources: ["*"], action: allow, when: 'request.method == "GET"'}
                    - {name: syntax, resources: ["*"], action: allow, when: 'request.method =='}
                    - {name: typo, resources: ["*"], action: allow, when: 'request.methd == "GET"'}
                    - {name: not-bool, resources: ["*"], action: allow, when: 'request.headers["x-env"]'}
                    - {name: int, resources: ["*"], action: allow, when: '1 + 2'}
                    - {name: wrong-types, resources: ["*"], action: allow, when: 'request.method == 1'}
                """);
        List<String> paths = e.errors().stream().map(ConfigError::path).toList();
        assertThat(paths).containsExactly("authorization.policies[1].when", "authorization.policies[2].when",
                "authorization.policies[3].when", "authorization.policies[4].when", "authorization.policies[5].when");
        assertThat(e.errors().get(0).message()).startsWith("'request.method ==' does not compile:").contains("at 1:");
        assertThat(e.errors().get(1).message()).contains("undeclared reference to 'request'", "request.method, request.path");
        assertThat(e.errors().get(2).message()).isEqualTo(
                "'request.headers[\"x-env\"]' returns string, not bool (write a comparison, e.g. request.headers[\"x-env\"] == \"prod\")");
        assertThat(e.errors().get(3).message()).contains("returns int, not bool");
        assertThat(e.errors().get(4).message()).contains("does not compile", "no matching overload");
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).doesNotContain("\n"));
    }

    private static ConfigException compileErrors(String yaml) {
        try {
            AuthorizationPolicies.compile(Policies.load(yaml).authorization());
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("should not compile");
    }

    @Test
    void celFactoryRefusesWhatCannotCompile() {
        assertThatThrownBy(() -> Condition.cel("resource.kind")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returns string");
    }
}
