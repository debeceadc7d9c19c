package io.clink.broker.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import io.clink.hivemq.boundaryfixture.LeakyAdapter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's guard of the public/internal boundary between clink's library modules.
 *
 * <p>Every module owns one package root ({@code io.clink.api}, {@code io.clink.core}, {@code io.clink.paho},
 * {@code io.clink.testkit}, {@code io.clink.hivemq}, {@code io.clink.artemis}, {@code io.clink.broker}); what lies under an {@code internal}
 * package is that module's private business, free to change in any release. Main code of one module may therefore
 * never use another module's {@code internal} classes, and public entry points never expose a third-party type (the
 * HOCON parser, Paho, Guava), so those stay replaceable. Tests and benchmarks are exempt by design: a test that plays
 * an EMQX peer uses core's codec, and a benchmark measures core's route index directly.
 *
 * <p>clink-broker runs this test because its classpath holds every library module. JPMS modules would say the same,
 * but the HiveMQ extension zip and the broker's shaded jar put everything on one classpath anyway. The rule reads
 * bytecode, so a compile-time constant of another module's internal class (inlined by javac) escapes it; such
 * constants are published where adapters need them (for example {@code ClusterLink.MAX_LINK_PAYLOAD_BYTES}).
 */
class ModuleBoundaryTest {

    private static final Pattern MODULE_ROOT =
            Pattern.compile("io\\.clink\\.(api|core|paho|testkit|hivemq|artemis|broker)(\\..*)?");
    /**
     * Libraries clink uses but does not promise. HiveMQ's SDK and Artemis are absent on purpose: each adapter exists to
     * speak its broker's API, so those types are that module's contract.
     */
    private static final List<String> THIRD_PARTY =
            List.of("com.typesafe.", "org.eclipse.paho.", "com.google.common.", "com.fasterxml.", "org.slf4j.");

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.clink");
    }

    @Test
    void mainCode_ofEveryModule_usesNoInternalClassOfAnotherModule() {
        assertThat(mainClasses.stream().map(ModuleBoundaryTest::moduleOf).distinct())
                .as("the import must see every library module, or the rule checks nothing")
                .contains(
                        Optional.of("api"),
                        Optional.of("core"),
                        Optional.of("paho"),
                        Optional.of("testkit"),
                        Optional.of("hivemq"),
                        Optional.of("artemis"),
                        Optional.of("broker"));
        noCrossModuleInternalUse().check(mainClasses);
    }

    @Test
    void publicApi_ofLibraryModules_exposesNoThirdPartyType() {
        noThirdPartyTypeInPublicApi().check(mainClasses);
    }

    @Test
    void clinkApi_dependsOnTheJdkAndNullnessAnnotationsOnly() {
        ArchRuleDefinition.noClasses()
                .that()
                .resideInAPackage("io.clink.api..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("java..", "io.clink.api..", "org.jspecify..")
                .check(mainClasses);
    }

    @Test
    void noCrossModuleInternalUse_onAPlantedInternalImport_fails() {
        JavaClasses planted = new ClassFileImporter().importClasses(LeakyAdapter.class);
        assertThatThrownBy(() -> noCrossModuleInternalUse().check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.clink.core.internal.");
    }

    @Test
    void noThirdPartyTypeInPublicApi_onAPlantedTypesafeReturnType_fails() {
        JavaClasses planted = new ClassFileImporter().importClasses(LeakyAdapter.class);
        assertThatThrownBy(() -> noThirdPartyTypeInPublicApi().check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("com.typesafe.config.Config");
    }

    static ArchRule noCrossModuleInternalUse() {
        return ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("io.clink..")
                .should(new ArchCondition<JavaClass>("use no internal class of another clink module") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        Optional<String> own = moduleOf(item);
                        if (own.isEmpty()) {
                            return;
                        }
                        for (Dependency d : item.getDirectDependenciesFromSelf()) {
                            JavaClass target = d.getTargetClass();
                            Optional<String> other = moduleOf(target);
                            if (other.isPresent() && !other.equals(own) && isInternal(target)) {
                                events.add(SimpleConditionEvent.violated(item, d.getDescription()));
                            }
                        }
                    }
                });
    }

    static ArchRule noThirdPartyTypeInPublicApi() {
        return ArchRuleDefinition.methods()
                .that()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage("..internal..")
                // testkit's MQTT test client is a Paho client on purpose: tests configure and inspect it in Paho's
                // terms.
                .and()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage("io.clink.testkit.mqtt..")
                .and()
                .areDeclaredInClassesThat()
                .resideInAnyPackage(
                        "io.clink.api..",
                        "io.clink.core..",
                        "io.clink.paho..",
                        "io.clink.testkit..",
                        "io.clink.hivemq..",
                        "io.clink.artemis..",
                        "io.clink.broker..")
                .should(new ArchCondition<JavaMethod>("expose no third-party type in a signature") {
                    @Override
                    public void check(JavaMethod m, ConditionEvents events) {
                        if (m.getModifiers().contains(JavaModifier.SYNTHETIC)
                                || m.getModifiers().contains(JavaModifier.BRIDGE)) {
                            return;
                        }
                        for (JavaClass t : signatureTypes(m)) {
                            if (THIRD_PARTY.stream().anyMatch(t.getName()::startsWith)) {
                                events.add(
                                        SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
                            }
                        }
                    }
                });
    }

    private static List<JavaClass> signatureTypes(JavaMethod m) {
        java.util.ArrayList<JavaClass> types = new java.util.ArrayList<>(m.getRawParameterTypes());
        types.add(m.getRawReturnType());
        return types;
    }

    static Optional<String> moduleOf(JavaClass c) {
        Matcher m = MODULE_ROOT.matcher(c.getPackageName());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean isInternal(JavaClass c) {
        return c.getPackageName().contains(".internal");
    }
}
