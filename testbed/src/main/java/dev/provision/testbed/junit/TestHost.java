package dev.provision.testbed.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@link dev.provision.testbed.DebianHost} field of a JUnit 5 test class: the host is started before
 * the class's first test (before its {@code @BeforeAll} methods) and its container removed after the last (after its
 * {@code @AfterAll} methods), also when a test or a {@code @BeforeAll} method fails. The field holds the host as
 * built, not started; each annotated field is one host, so a class may have several.
 *
 * <pre>{@code
 * class DeploymentIT {
 *     @TestHost
 *     static final DebianHost web = DebianHost.bookworm();
 *     @TestHost
 *     static final DebianHost db = DebianHost.sid().withStartupTimeout(Duration.ofMinutes(5));
 *
 *     @Test
 *     void webAnswers() {
 *         // web.sshHost(), web.sshPort(), web.privateKeyPath(), web.knownHostsFile() reach it over SSH
 *         assertThat(web.exec("systemctl is-active ssh").stdout()).isEqualTo("active\n");
 *     }
 * }
 * }</pre>
 *
 * <p>Needs junit-jupiter-api on the class path; the testbed itself does not bring it.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestHostExtension.class)
public @interface TestHost {
}
