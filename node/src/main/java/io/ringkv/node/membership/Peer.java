package io.ringkv.node.membership;

/**
 * A live member as it advertises itself.
 *
 * @param node     its node id
 * @param host     the one address all its listeners bind
 * @param httpPort its public HTTP API
 * @param rpcPort  its replica server
 */
public record Peer(String node, String host, int httpPort, int rpcPort) {

    public String httpAddress() {
        return host + ":" + httpPort;
    }
}
