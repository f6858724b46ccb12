package dev.switchboard.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The project says under which licence it is given, in the three places people look: LICENSE, the README and the POM. */
class LicenceTest {
    @Test
    void theApacheLicenceIsAtTheRootAndNamedInTheReadmeAndThePom() throws Exception {
        String licence = Files.readString(Path.of("LICENSE"));
        assertThat(licence).contains("Apache License").contains("Version 2.0, January 2004")
                .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION").contains("END OF TERMS AND CONDITIONS");
        assertThat(Files.readString(Path.of("README.md"))).contains("## Licence").contains("Apache License, Version 2.0").contains("(LICENSE)");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<name>Apache-2.0</name>");
    }
}
