package dev.logai.common.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;

/**
 * Tomcat behaviour every LogAi service shares, beyond what {@code server.tomcat.*} settings can say:
 *
 * <ul>
 *   <li>An error answered before the request body was read completely closes the connection
 *       instead of reading ("swallowing") the rest: a client with no key, or over a limit, cannot
 *       hold a worker thread by sending slowly, nor make the server read 100 MB it will drop.
 *   <li>Errors Tomcat answers itself, before any servlet runs (a control byte in a header, an
 *       unknown transfer coding, a malformed request line), are problem+json, not Tomcat's HTML.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class TomcatHardening {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> logaiTomcatHardening() {
        return new Customizer();
    }

    /** Runs after Spring Boot's own customizer, whose context customizer adds Tomcat's error valve. */
    static final class Customizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            // "100 Continue" only when the application starts reading the body: a request refused
            // from its headers (401, 413 on its declared size, 429) answers before the client
            // uploads anything, instead of inviting the upload and then closing on it.
            factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
            factory.addContextCustomizers(context -> {
                Pipeline host = context.getParent().getPipeline();
                for (Valve valve : host.getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        host.removeValve(valve);
                    }
                }
                if (context.getParent() instanceof StandardHost standardHost) {
                    standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
                // Outermost, so it acts after the error pages: marking the request as not to be
                // swallowed puts Tomcat in an error state, which inside the host would have
                // Spring's /error page appended to the response already written.
                host.addValve(new CloseUnreadBodyValve());
                host.addValve(new ProblemErrorReportValve());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /**
     * After the application answered a status of 400 or more without reading the whole body, tells
     * Tomcat not to swallow the rest: the response is sent and the connection closed.
     */
    static final class CloseUnreadBodyValve extends ValveBase {
        CloseUnreadBodyValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            if (response.getStatus() >= 400 && !request.getCoyoteRequest().isFinished()) {
                if (!response.isCommitted()) {
                    response.setHeader("Connection", "close");
                }
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }

    /**
     * Tomcat's error report as RFC 9457 problem+json: for the statuses Tomcat sets itself, which
     * never reach Spring. Public with a no-argument constructor: {@link StandardHost} may create it
     * by class name.
     */
    public static class ProblemErrorReportValve extends ErrorReportValve {
        public ProblemErrorReportValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String title = known == null ? "Error" : known.getReasonPhrase();
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                            + ",\"detail\":\"" + detail(status) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                response.resetBuffer();
                response.setContentType("application/problem+json");
                response.setContentLength(body.length);
                OutputStream out = response.getOutputStream();
                out.write(body);
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response cannot take a body: nothing more to send
            }
        }

        /** Fixed text per status: nothing of the request is echoed. */
        private static String detail(int status) {
            return switch (status) {
                case 400 ->
                    "The request could not be parsed (request line, URI or a header is malformed, e.g. holds"
                            + " control characters); nothing was done. Fix the request.";
                case 408 -> "The request was not received in time; nothing was done. Send it again, faster.";
                case 413 -> "The request is larger than this endpoint accepts; nothing was done. Send less.";
                case 414 -> "The URI is too long; nothing was done. Shorten it.";
                case 431 -> "The request headers are too large; nothing was done. Send smaller headers.";
                case 501 ->
                    "The request uses a method or transfer coding this server does not implement; nothing was"
                            + " done.";
                default ->
                    status >= 500
                            ? "Something went wrong on our side; nothing from this request was changed. Retry."
                            : "The request was refused; nothing was done.";
            };
        }
    }
}
