import Foundation
import Crypto

/// A stand-in MUXI server: its HMAC check follows the Go server's (prefix `MUXI-HMAC `,
/// parameters split on ", ", ±300 s, the decoded path without the query, base64 signature).
public final class StandInMuxiServer: @unchecked Sendable {
    public init() {}
    public static let keyID = "MUXI_0123456789abcdef"
    public static let secret = "sk_" + String(repeating: "ab", count: 32)
    private let lock = NSLock()
    private var seen: [LoopbackServer.Request] = []
    public var requests: [LoopbackServer.Request] { lock.withLock { seen } }
    private var busyLeft = 0
    /// The next `count` signed requests are answered `503` with `Retry-After: 0`.
    public func beBusy(for count: Int) { lock.withLock { busyLeft = count } }

    public static func unauthorized(_ reason: String) -> LoopbackServer.Response {
        .json(401, #"{"error":"Unauthorized","message":"\#(reason)","code":401}"#)
    }

    public static func check(_ r: LoopbackServer.Request, now: Date = Date()) -> String? {
        guard let header = r.header("Authorization") else { return "Missing authorization header" }
        guard header.hasPrefix("MUXI-HMAC ") else { return "Invalid authorization header format" }
        var params: [String: String] = [:]
        for part in header.dropFirst("MUXI-HMAC ".count).components(separatedBy: ", ") {
            guard let eq = part.firstIndex(of: "=") else { return "Invalid authorization header format" }
            params[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let key = params["key"], let ts = params["timestamp"].flatMap(Int.init), let sig = params["signature"] else {
            return "Invalid authorization header format"
        }
        guard key == keyID else { return "Invalid key" }
        guard abs(Int(now.timeIntervalSince1970) - ts) <= 300 else { return "Request expired (timestamp too old or in future)" }
        let path = r.path.removingPercentEncoding ?? r.path
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(ts);\(r.method);\(path)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString() == sig ? nil : "Invalid signature"
    }

    public func respond(_ r: LoopbackServer.Request) -> LoopbackServer.Response {
        lock.withLock { seen.append(r) }
        switch (r.method, r.path) {
        case ("GET", "/ping"): return LoopbackServer.Response(status: 200, headers: [("Content-Type", "text/plain")], body: Array("pong".utf8))
        case ("GET", "/health"): return .json(200, #"{"success":true,"status":"ok","version":"0.2026"}"#)
        default: break
        }
        if let reason = Self.check(r) { return Self.unauthorized(reason) }
        let busy: Bool = lock.withLock {
            defer { busyLeft = max(0, busyLeft - 1) }
            return busyLeft > 0
        }
        if busy {
            return LoopbackServer.Response(status: 503, headers: [("Content-Type", "application/json"), ("Retry-After", "0")],
                                           body: Array(#"{"error":"Service Unavailable","message":"busy","code":503}"#.utf8))
        }
        let sse = r.header("Accept") == "text/event-stream"
        switch (r.method, r.path.removingPercentEncoding ?? r.path) {
        case ("GET", "/rpc/server/status"):
            return .json(200, #"{"success":true,"data":{"server":{"status":"running","version":"0.2026"},"formations":{"total":1,"running":1,"stopped":0}}}"#)
        case ("GET", "/rpc/formations"):
            return .json(200, #"{"success":true,"data":{"formations":[{"id":"my bot","status":"running","port":8001,"version":"1.0.0","healthy":true}],"total":1}}"#)
        case ("GET", "/rpc/formations/my bot"):
            return .json(200, #"{"success":true,"data":{"id":"my bot","status":"running","port":8001,"current_version":"1.0.0","pid":42,"restart_count":0}}"#)
        case ("POST", "/rpc/formations"):
            guard let id = r.header("X-Formation-ID") else { return .json(400, #"{"error":"Bad Request","message":"X-Formation-ID header is required","code":400}"#) }
            guard r.header("Content-Type") == "application/gzip", r.body.starts(with: [0x1F, 0x8B]) else {
                return .json(400, #"{"error":"Bad Request","message":"expected a gzip bundle","code":400}"#)
            }
            if sse {
                return .sse("event: progress\ndata: {\"stage\":\"extracting\",\"message\":\"Extracting bundle\",\"progress\":10}\n\nevent: progress\ndata: {\"stage\":\"health_check\",\"message\":\"Waiting for health\"}\n\nevent: complete\ndata: {\"formation_id\":\"\(id)\",\"port\":8002,\"status\":\"running\"}\n\n")
            }
            return .json(201, #"{"success":true,"data":{"formation_id":"\#(id)","port":8002,"status":"running"}}"#)
        case ("PUT", "/rpc/formations/my bot"):
            return r.body.starts(with: [0x1F, 0x8B]) ? .json(200, #"{"success":true,"data":{"previous_version":"1.0.0","new_version":"1.1.0"}}"#)
                : .json(400, #"{"error":"Bad Request","message":"expected a gzip bundle","code":400}"#)
        case ("POST", "/rpc/formations/my bot/start"):
            return .json(409, #"{"error":"Conflict","message":"formation is already running","code":409}"#)
        case ("POST", "/rpc/formations/my bot/stop"), ("POST", "/rpc/formations/my bot/restart"),
             ("POST", "/rpc/formations/my bot/rollback"), ("DELETE", "/rpc/formations/my bot"):
            return .json(200, #"{"success":true,"data":{"id":"my bot"},"message":"ok"}"#)
        case ("GET", "/rpc/formations/my bot/logs"):
            if r.query["follow"] == "true" {
                return .sse("event: log\ndata: {\"line\":\"started\"}\n\nevent: log\ndata: {\"line\":\"healthy\"}\n\n")
            }
            return .json(200, #"{"success":true,"data":{"formation_id":"my bot","lines":["a","b"],"requested":"\#(r.query["lines"] ?? "none")","stream":"\#(r.query["stream"] ?? "none")"}}"#)
        default:
            return .json(404, #"{"error":"Not Found","message":"Endpoint not found","code":404}"#)
        }
    }
}

