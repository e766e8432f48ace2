import MuxiClient
import MuxiClientTesting

public enum Keys {
    public static let client = "fmc_test_client_key"
    public static let admin = "fma_test_admin_key"
}

public func makeClient(_ transport: ScriptedTransport, userID: String? = "alice", maxRetries: Int = 2,
                configure: (inout FormationConfiguration) -> Void = { _ in }) throws -> FormationClient {
    var config = try FormationConfiguration(url: "http://formation.test", clientKey: Keys.client, adminKey: Keys.admin)
    config.userID = userID
    config.maxRetries = maxRetries
    config.retryPolicy = RetryPolicy(initialDelay: .milliseconds(1), maxDelay: .milliseconds(5), jitter: 0.1)
    config.transport = transport
    configure(&config)
    return FormationClient(configuration: config)
}

public func envelope(_ data: String, requestID: String = "req_env") -> String {
    #"{"object":"x","timestamp":1795956456673,"type":"x","request":{"id":"\#(requestID)","idempotency_key":null},"success":true,"error":null,"data":\#(data)}"#
}

extension HTTPRequest {
    public var bodyJSON: JSONValue? { body.flatMap { try? JSONValue(parsing: $0) } }
}
