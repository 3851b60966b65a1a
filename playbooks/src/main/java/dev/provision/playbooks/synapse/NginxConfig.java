package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.Objects;

/**
 * nginx's files for Debian's layout, where {@code /etc/nginx/conf.d/*.conf} is included at http
 * level: the maps, upstreams and routing log format; a snippet with the proxy settings and
 * locations; and the server block(s) that include it.
 */
final class NginxConfig {

    static final String UPSTREAMS = "/etc/nginx/conf.d/matrix-synapse-upstreams.conf";
    static final String LOCATIONS = "/etc/nginx/snippets/matrix-synapse-locations.conf";
    static final String SITE = "/etc/nginx/conf.d/matrix-synapse.conf";
    static final String ACCESS_LOG = "/var/log/nginx/matrix-synapse.access.log";
    static final String LOG_FORMAT = "matrix_synapse_routing";

    private final SynapseTopology topology;
    private final NginxRouting routing;

    NginxConfig(SynapseTopology topology, NginxRouting routing) {
        this.topology = topology;
        this.routing = routing;
    }

    List<RenderedFile> files() {
        ServiceAction reload = new ServiceAction.Reload(SynapseDeployment.NGINX);
        return List.of(
                new RenderedFile(UPSTREAMS, upstreams(), "root", "root", 0644, List.of(reload)),
                new RenderedFile(LOCATIONS, locations(), "root", "root", 0644, List.of(reload)),
                new RenderedFile(SITE, site(), "root", "root", 0644, List.of(reload)));
    }

    /**
     * The log format names the upstream socket of every request, which is how routing is checked
     * end to end; it logs the path without query so access tokens stay out of the log.
     */
    private String upstreams() {
        StringBuilder out = new StringBuilder();
        out.append("log_format ").append(LOG_FORMAT)
                .append(" '$remote_addr [$time_local] \"$request_method $uri\" $status upstream=$upstream_addr';\n");
        for (NginxRouting.Choice choice : routing.choices()) {
            out.append("\nmap \"").append(choice.source()).append("\" ").append(choice.variable()).append(" {\n");
            out.append("    default ").append(choice.fallback()).append(";\n");
            for (NginxRouting.Choice.Entry entry : choice.entries()) {
                out.append("    \"").append(entry.match()).append("\" ").append(entry.value()).append(";\n");
            }
            out.append("}\n");
        }
        for (NginxRouting.Upstream upstream : routing.upstreams()) {
            out.append("\nupstream ").append(upstream.name()).append(" {\n");
            upstream.balancing().ifPresent(balancing -> out.append("    ").append(balancing).append(";\n"));
            for (NginxRouting.Backend backend : upstream.backends()) {
                out.append("    server ").append(backend.address()).append(";\n");
            }
            out.append("}\n");
        }
        return out.toString();
    }

    /**
     * Proxy settings as Synapse's reverse proxy docs give them; proxy_pass without a URI part, so
     * nginx passes the request URI unchanged (a canonicalised URI breaks federation signatures).
     * Regex locations are tested in order, so the order of {@link EndpointGroup} matters.
     */
    private String locations() {
        StringBuilder out = new StringBuilder("""
                proxy_http_version 1.1;
                proxy_set_header Host $host:$server_port;
                proxy_set_header X-Forwarded-For $remote_addr;
                proxy_set_header X-Forwarded-Proto $scheme;
                # Synapse's default max_upload_size.
                client_max_body_size 50M;
                """);
        String section = null;
        for (NginxRouting.Location location : routing.locations()) {
            if (!Objects.equals(section, location.section())) {
                section = location.section();
                out.append("\n# ").append(section).append('\n');
            }
            out.append("location ").append(location.regex() ? "~ \"" + location.pattern() + "\"" : location.pattern()).append(" {\n");
            if (location.adminOnly()) {
                topology.adminApiAllowedFrom().forEach(address -> out.append("    allow ").append(address).append(";\n"));
                out.append("    deny all;\n");
            }
            out.append("    proxy_pass http://").append(location.target()).append(";\n");
            out.append("}\n");
        }
        return out.toString();
    }

    private String site() {
        String common = "    server_name " + topology.publicHostname() + ";\n"
                + "    access_log " + ACCESS_LOG + " " + LOG_FORMAT + ";\n";
        return topology.tls().map(tls -> """
                server {
                    listen 80;
                    listen [::]:80;
                    server_name %s;
                    return 301 https://$host$request_uri;
                }

                server {
                    listen 443 ssl;
                    listen [::]:443 ssl;
                    listen 8448 ssl;
                    listen [::]:8448 ssl;
                %s    ssl_certificate %s;
                    ssl_certificate_key %s;
                    include %s;
                }
                """.formatted(topology.publicHostname(), common, tls.certificate(), tls.key(), LOCATIONS))
                .orElse("""
                server {
                    listen 80;
                    listen [::]:80;
                %s    include %s;
                }
                """.formatted(common, LOCATIONS));
    }
}
