package io.agentgateway.cli;

import io.agentgateway.observe.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code agentgateway audit verify FILE}: checks an audit file's hash chains; exit 0 intact, 1 tampered or unreadable. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit log tools.", subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check that no audit event was edited, deleted, inserted or reordered.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "an audit file (JSON Lines)")
        Path file;

        @Override
        public Integer call() {
            AuditVerifier.Report report;
            try {
                report = AuditVerifier.verify(file);
            } catch (IOException e) {
                System.err.println(file + ": cannot read: " + e.getMessage());
                return 1;
            }
            report.notes().forEach(n -> System.out.println(file + ": note: " + n));
            if (report.intact()) {
                System.out.println(file + ": " + report.events() + " event(s), hash chain intact");
                return 0;
            }
            report.problems().forEach(p -> System.err.println(file + ": " + p));
            System.err.println(file + ": " + report.problems().size() + " problem(s) in " + report.events() + " event(s)");
            return 1;
        }
    }
}
