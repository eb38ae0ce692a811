package io.agentgateway.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@code when:} condition in Google CEL (the language of Kubernetes admission policies and of
 * agentgateway). Type-checked against {@link ConditionInput#VARIABLES} when the config is
 * compiled, so a misspelt variable or a condition that can only return a string is a config
 * error, not a surprise at request time. The program is planned once; a request only evaluates
 * it against a lazily resolved {@link ConditionInput}.
 *
 * <p>Immutable and thread-safe (CEL programs are).
 */
final class CelCondition implements Condition {
    /** Built on first use and shared: the environment is the same for every condition. */
    private static final class Environment {
        static final CelCompiler COMPILER;
        static final CelRuntime RUNTIME;

        static {
            CelCompilerBuilder compiler = CelCompilerFactory.standardCelCompilerBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addLibraries(CelExtensions.strings());
            ConditionInput.VARIABLES.forEach(compiler::addVar);
            COMPILER = compiler.build();
            RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();
        }
    }

    private static final Pattern CEL_POSITION = Pattern.compile("evaluation error at <input>:(\\d+): ");

    private final String expression;
    private final CelRuntime.Program program;

    private CelCondition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    static CelCondition compile(String expression) {
        CelValidationResult result = Environment.COMPILER.compile(expression);
        if (result.hasError()) {
            throw new IllegalArgumentException("does not compile: " + describe(result));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("does not compile: " + e.getMessage());
        }
        CelType type = ast.getResultType();
        // dyn (e.g. a bare claim) may still be a bool at run time; anything else never is
        if (type.kind() != CelKind.BOOL && type.kind() != CelKind.DYN) {
            throw new IllegalArgumentException("returns " + type.name() + ", not bool (write a comparison, e.g. "
                    + "request.headers[\"x-env\"] == \"prod\")");
        }
        try {
            return new CelCondition(expression, Environment.RUNTIME.createProgram(ast));
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("cannot be planned: " + e.getMessage());
        }
    }

    private static String describe(CelValidationResult result) {
        String issues = result.getErrors().stream().map(CelCondition::describe).collect(Collectors.joining("; "));
        if (issues.contains("undeclared reference")) {
            issues += " (variables: " + String.join(", ", ConditionInput.VARIABLES.keySet()) + ")";
        }
        return issues;
    }

    private static String describe(CelIssue issue) {
        var at = issue.getSourceLocation();
        String message = issue.getMessage().replace(" (in container '')", "");
        return at.getLine() > 0 ? message + " at " + at.getLine() + ":" + at.getColumn() : message;
    }

    @Override
    public boolean test(ConditionInput input) throws ConditionFailedException {
        Object value;
        try {
            value = program.eval(input);
        } catch (CelEvaluationException e) {
            throw new ConditionFailedException(safeMessage(e));
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ConditionFailedException("returned " + (value == null ? "null" : value.getClass().getSimpleName())
                + ", not a bool");
    }

    /**
     * CEL's messages may quote a value from the request (a header that failed to parse as an
     * int); only a missing key is described, since the key comes from the expression.
     */
    private static String safeMessage(CelEvaluationException e) {
        CelErrorCode code = e.getErrorCode();
        if (code == CelErrorCode.ATTRIBUTE_NOT_FOUND) {
            String detail = e.getMessage();
            Matcher m = CEL_POSITION.matcher(detail);
            if (m.lookingAt()) {
                detail = detail.substring(m.end()) + " (at character " + m.group(1) + ")";
            }
            return "no such key: " + detail + "; guard with 'key in map' to make an absent key plain false";
        }
        return "evaluation failed: " + code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    @Override
    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }
}
