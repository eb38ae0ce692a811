package io.agentgateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph, as drawn in {@code docs/architecture.md}: each layer may import only the
 * layers below it ({@code cli -> console -> runtime -> {llm, mcp, a2a, observe} -> upstream -> server -> budget
 * -> policy -> identity -> secret -> kube -> config}); the protocols and {@code observe} never import
 * one another; {@code core} may be imported by anyone and imports nothing of ours; and no two
 * packages import each other, directly or through others.
 */
@AnalyzeClasses(packages = "io.agentgateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Top to bottom. Each layer may use any layer after it; a tier's members may not use each other. */
    private static final String[][] TIERS = {
            {"cli"}, {"console"}, {"runtime"}, {"llm", "mcp", "a2a", "observe"}, {"upstream"}, {"server"}, {"budget"},
            {"policy"}, {"identity"}, {"secret"}, {"kube"}, {"config"}};

    @ArchTest
    static final ArchRule layers = layered();

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.agentgateway.(*)..").should().beFreeOfCycles();

    /** A new package must take its place in the graph (here and in docs/architecture.md) to be checked at all. */
    @ArchTest
    static final ArchRule everyClassIsInALayer = classes().should().resideInAnyPackage(packages());

    static ArchRule layered() {
        Architectures.LayeredArchitecture arch = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("io.agentgateway.core..");
        for (String[] tier : TIERS) {
            for (String p : tier) {
                arch = arch.layer(p).definedBy("io.agentgateway." + p + "..");
            }
        }
        arch = arch.whereLayer("core").mayNotAccessAnyLayer();
        List<String> above = new ArrayList<>();
        for (String[] tier : TIERS) {
            for (String p : tier) {
                arch = above.isEmpty() ? arch.whereLayer(p).mayNotBeAccessedByAnyLayer()
                        : arch.whereLayer(p).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
            above.addAll(List.of(tier));
        }
        return arch;
    }

    static String[] packages() {
        List<String> out = new ArrayList<>(List.of("io.agentgateway.core.."));
        for (String[] tier : TIERS) {
            for (String p : tier) {
                out.add("io.agentgateway." + p + "..");
            }
        }
        return out.toArray(String[]::new);
    }
}
