import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1

/// A small HTTP/1.1 server on 127.0.0.1 for tests: each request is answered by `respond`.
public final class LoopbackServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var path: String { String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
        public var query: [String: String] {
            guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
            var out: [String: String] = [:]
            for pair in q.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                let value = kv.count > 1 ? kv[1] : ""
                out[kv[0]] = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
            }
            return out
        }
        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    public struct Response: Sendable {
        /// How the response ends: normally, silent after the body (connection left open), or
        /// never started.
        public enum Ending: Sendable { case complete, stallAfterBody, noAnswer }

        public var status: Int
        public var headers: [(String, String)] = []
        public var body: [UInt8] = []
        public var ending: Ending = .complete

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], ending: Ending = .complete) {
            self.status = status
            self.headers = headers
            self.body = body
            self.ending = ending
        }

        public static func json(_ status: Int, _ text: String) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
        }
        public static func sse(_ text: String) -> Response {
            Response(status: 200, headers: [("Content-Type", "text/event-stream")], body: Array(text.utf8))
        }
    }

    private let channel: any Channel
    public let port: Int

    public init(respond: @escaping @Sendable (Request) -> Response) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(Handler(respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        public let respond: @Sendable (Request) -> Response
        public var head: HTTPRequestHead?
        public var body: [UInt8] = []

        public init(respond: @escaping @Sendable (Request) -> Response) { self.respond = respond }

        public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(method: head.method.rawValue, uri: head.uri,
                                      headers: head.headers.map { ($0.name, $0.value) }, body: body)
                let response = respond(request)
                if response.ending == .noAnswer { return }
                var headers = HTTPHeaders(response.headers)
                if response.ending == .complete { headers.add(name: "Content-Length", value: String(response.body.count)) }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: response.status), headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
                if response.ending == .complete {
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                } else {
                    context.flush()
                }
            }
        }
    }
}
