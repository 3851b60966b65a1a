package dev.provision.dsl;

/**
 * What a playbook checks on a host it has converged, the way an operator would look afterwards: {@code provision test}
 * and the test kit hand one to {@link Verifiable#verify}, checking on a throwaway container. Each check runs a read-only
 * command on the host; one that fails is reported with what was expected and what was found, and the others still run.
 */
public interface Verify {

    /** {@code systemctl is-active UNIT} says active. */
    Verify unitActive(String unit);

    /** Something listens on TCP {@code port} (any address, IPv4 or IPv6). */
    Verify listens(int port);

    /** The file at {@code path} holds exactly {@code content}. */
    Verify fileContent(String path, String content);

    /** The file or directory at {@code path} has the octal {@code mode}, such as {@code "0644"}. */
    Verify fileMode(String path, String mode);

    /** {@code sh -c command} exits 0. */
    Verify succeeds(String command);

    /**
     * A plain-HTTP GET of {@code url}, sent from the host itself (so {@code http://localhost/} reaches what the host
     * serves), answers with {@code status} and a body that contains {@code bodyContains}.
     */
    Verify http(String url, int status, String bodyContains);
}
