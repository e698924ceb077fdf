package io.brook.broker.network;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka protocol listener on Netty (epoll where available). Network threads only frame, decode, dispatch and
 * encode; handlers run on {@code handlerExecutor}. {@link #close} stops accepting and closes every connection; it is
 * idempotent.
 */
public final class KafkaServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private volatile boolean closed;

    private KafkaServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
    }

    /** Binds and starts accepting; returns once the socket is listening. */
    public static KafkaServer start(
            String host,
            int port,
            int maxFrameBytes,
            int networkThreads,
            RequestHandler handler,
            SupportedApis apis,
            Executor handlerExecutor,
            RequestMetrics metrics)
            throws InterruptedException {
        requireNonNull(handler, "handler is null");
        requireNonNull(metrics, "metrics is null");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("brook-accept", true), ioHandlerFactory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                networkThreads, new DefaultThreadFactory("brook-network", true), ioHandlerFactory);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast("frames", new KafkaFrameDecoder(maxFrameBytes))
                                    .addLast("requests", new KafkaConnection(handler, apis, handlerExecutor, metrics));
                        }
                    });
            Channel channel = bootstrap.bind(host, port).sync().channel();
            LOGGER.info("Kafka listener on {} ({})", channel.localAddress(), epoll ? "epoll" : "nio");
            return new KafkaServer(boss, workers, channel);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting connections, leaving open ones to finish (see {@link #close}). */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
