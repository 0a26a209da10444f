package io.llmload.dsl;

import io.gatling.core.CoreComponents;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.protocol.Protocol;
import io.gatling.core.protocol.ProtocolComponents;
import io.gatling.core.protocol.ProtocolKey;
import io.gatling.core.session.Session;
import io.gatling.netty.util.Transports;
import io.llmload.client.StreamingClient;
import io.llmload.record.RunContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.runtime.BoxedUnit;

/** The engine side of {@link LlmProtocolBuilder}: Gatling finds the components by its key. */
public final class LlmProtocol implements Protocol {
  private static final Logger LOG = LoggerFactory.getLogger(LlmProtocol.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final ProtocolKey<LlmProtocol, Components> KEY =
      new ProtocolKey<>() {
        @Override
        public Class<Protocol> protocolClass() {
          return (Class) LlmProtocol.class;
        }

        @Override
        public LlmProtocol defaultProtocolValue(GatlingConfiguration configuration) {
          throw new IllegalArgumentException(
              "llm protocol: not configured; add .protocols(llm.target(...)) to setUp");
        }

        @Override
        public Function1<LlmProtocol, Components> newComponents(CoreComponents core) {
          return protocol -> new Components(core, protocol);
        }
      };

  final LlmConfig config;
  final @Nullable RunContext run;

  LlmProtocol(LlmConfig config, @Nullable RunContext run) {
    this.config = config;
    this.run = run;
  }

  /** One streaming client per run, closed when Gatling's actor system terminates. */
  static final class Components implements ProtocolComponents {
    final LlmConfig config;
    final StreamingClient client;
    /** Where requests record themselves; null when the protocol was not built by LlmSimulation.llmProtocol(). */
    final @Nullable RunContext run;

    Components(CoreComponents core, LlmProtocol protocol) {
      this.config = protocol.config;
      this.run = protocol.run;
      if (run == null) {
        LOG.warn("llm protocol without a run: no requests.jsonl, summary or report; use LlmSimulation's"
            + " llmProtocol() in setUp(...).protocols(...) to record them");
      }
      var netty = core.configuration().netty();
      this.client =
          new StreamingClient(
              config.target(),
              Transports.newSocketChannelFactory(netty.useNativeTransport(), netty.useIoUring()),
              sslContext(config),
              (int) config.connectTimeout().toMillis(),
              config.apiKey() != null && config.apiKey().present() ? config.apiKey() : null);
      core.actorSystem()
          .registerOnTermination(
              () -> {
                client.close();
                return BoxedUnit.UNIT;
              });
    }

    private static SslContext sslContext(LlmConfig c) {
      if (!c.target().tls()) return null;
      try {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (c.insecureTls()) {
          LOG.warn("TLS certificate verification is OFF for {} (insecureTls)", c.target().url());
          b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return b.build();
      } catch (SSLException e) {
        throw new IllegalStateException("TLS setup failed: " + e.getMessage(), e);
      }
    }

    @Override
    public Function1<Session, Session> onStart() {
      return Session.Identity();
    }

    @Override
    public Function1<Session, BoxedUnit> onExit() {
      return ProtocolComponents.NoopOnExit();
    }
  }
}
