package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/architecture in README: the HTTP edge ({@code http}) and the route packages on top
 * ({@code routes.*}), the domain below them, and nothing calling back up the chain.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String EDGE = "dev.switchboard.http..";
    private static final String ROUTES = "dev.switchboard.routes..";

    @ArchTest
    static final ArchRule no_cycles_between_packages = slices().matching("dev.switchboard.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule nothing_below_the_http_edge_imports_it = noClasses()
            .that().resideOutsideOfPackages(EDGE, ROUTES, "dev.switchboard", "dev.switchboard.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(EDGE, ROUTES);

    @ArchTest
    static final ArchRule the_edge_imports_no_route = noClasses().that().resideInAPackage(EDGE)
            .should().dependOnClassesThat().resideInAPackage(ROUTES);

    @ArchTest
    static final ArchRule route_packages_do_not_import_each_other = slices().matching("dev.switchboard.routes.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule outcomes_know_no_http = noClasses().that().resideInAPackage("dev.switchboard.outcomes..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..");

    @ArchTest
    static final ArchRule only_the_edge_and_routes_use_javalin = noClasses()
            .that().resideOutsideOfPackages(EDGE, ROUTES, "dev.switchboard")
            .should().dependOnClassesThat().resideInAPackage("io.javalin..");
}
