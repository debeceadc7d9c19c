package io.clink.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.config.ConfigLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    @TempDir
    Path dir;

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_linesWithAndWithoutRole_defaultIsAdministrator() {
        ApiKeys keys =
                ApiKeys.parse("keys", List.of("# ops keys", "", "ops:s3cret", "ro:peek:viewer", "adm:x:administrator"));

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.authenticate(basic("ops:s3cret"))).hasValue(ApiKeys.Role.ADMINISTRATOR);
        assertThat(keys.authenticate(basic("ro:peek"))).hasValue(ApiKeys.Role.VIEWER);
        assertThat(keys.authenticate(basic("adm:x"))).hasValue(ApiKeys.Role.ADMINISTRATOR);
    }

    @Test
    void authenticate_wrongMissingOrMalformed_empty() {
        ApiKeys keys = ApiKeys.parse("keys", List.of("ops:s3cret"));

        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate(basic("ops:wrong"))).isEmpty();
        assertThat(keys.authenticate(basic("ops:s3cret2"))).isEmpty();
        assertThat(keys.authenticate(basic("other:s3cret"))).isEmpty();
        assertThat(keys.authenticate(basic("ops"))).isEmpty();
        assertThat(keys.authenticate("Basic !!!not-base64")).isEmpty();
        assertThat(keys.authenticate(
                        "Bearer " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(keys.authenticate("basic " + basic("ops:s3cret").substring(6)))
                .isPresent();
    }

    @Test
    void parse_malformedLine_namesFileAndLineNeverTheSecret() {
        assertThatThrownBy(() -> ApiKeys.parse("keys.txt", List.of("ok:fine", "# c", "justasecretvalue")))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("keys.txt:3: api_key.bootstrap_file: must be key:secret")
                .hasMessageNotContaining("justasecretvalue");
        assertThatThrownBy(() -> ApiKeys.parse("keys.txt", List.of("a:b:c:d-topsecret")))
                .hasMessageStartingWith("keys.txt:1: ")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void parse_unknownRole_namesRoleNotSecret() {
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("ops:hush:superuser")))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("k:1: ")
                .hasMessageContaining("'superuser'")
                .hasMessageContaining("administrator or viewer")
                .hasMessageNotContaining("hush");
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("ops:hush:publisher")))
                .hasMessageContaining("publisher");
    }

    @Test
    void parse_badKeyEmptySecretDuplicateOrNone_refused() {
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("bad key:s"))).hasMessageStartingWith("k:1: ");
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("ops:"))).hasMessageContaining("empty secret");
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("ops:a", "ops:b")))
                .hasMessageStartingWith("k:2: ")
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> ApiKeys.parse("k", List.of("# nothing", "")))
                .hasMessageStartingWith("k: ")
                .hasMessageContaining("lists no key");
    }

    @Test
    void read_fileMissing_namesTheFile() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> ApiKeys.read(missing))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(missing + ": api_key.bootstrap_file: cannot be read");
    }

    @Test
    void read_file_parsesItsLines() throws Exception {
        Path f = Files.writeString(dir.resolve("keys"), "ops:s3cret:viewer\n");

        assertThat(ApiKeys.read(f).authenticate(basic("ops:s3cret"))).hasValue(ApiKeys.Role.VIEWER);
        assertThat(ApiKeys.read(f).toString()).doesNotContain("s3cret");
    }
}
