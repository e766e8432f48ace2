import ArgumentParser
import Foundation
import MuxiClient

/// The server control plane's connection: `--server-url`, `--key-id`, `--secret-key`, with the
/// same fallbacks as the formation commands.
struct ServerOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("key-id"), help: "The server key id (MUXI_KEY_ID).") var keyID: String?
    @Option(name: .customLong("secret-key"), help: "The server secret key (MUXI_SECRET_KEY).") var secretKey: String?

    func client(_ output: Output) throws -> ServerClient {
        let resolved = try connection.resolve()
        resolved.warnings.forEach { output.error($0) }
        guard let url = resolved.value("server_url") else {
            throw CLIError.configuration("no server URL", hint: "give --server-url or set MUXI_SERVER_URL")
        }
        guard let key = keyID ?? resolved.value("key_id"), let secret = secretKey ?? resolved.value("secret_key") else {
            throw CLIError.configuration("the server needs a key id and a secret key", hint: "give --key-id and --secret-key, or set MUXI_KEY_ID and MUXI_SECRET_KEY")
        }
        let timeout = resolved.value("timeout").flatMap(Double.init).map { Duration.milliseconds(Int64($0 * 1000)) } ?? .seconds(30)
        return try ServerClient(url: url, keyID: key, secretKey: secret, timeout: timeout, maxRetries: 1,
                                debug: connection.debug, logger: ConnectionOptions.stderrLogger)
    }
}

/// A server command that prints one JSON answer.
protocol ServerCommand: AsyncParsableCommand {
    var server: ServerOptions { get }
    func call(_ client: ServerClient) async throws -> JSONValue
}

extension ServerCommand {
    func run() async throws {
        let output = Output()
        output.json(try await call(try server.client(output)))
    }
}

struct Server: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server",
        abstract: "The MUXI server's control plane (HMAC-signed).",
        subcommands: [Status.self, Health.self, Formations.self, Deploy.self, Action<StartFormation>.self,
                      Action<StopFormation>.self, Action<RestartFormation>.self, Action<RollbackFormation>.self,
                      Action<DeleteFormation>.self, Logs.self])

    struct Status: ServerCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "The server's status.")
        @OptionGroup var server: ServerOptions
        func call(_ client: ServerClient) async throws -> JSONValue { try await client.status() }
    }

    struct Health: ServerCommand {
        static let configuration = CommandConfiguration(commandName: "health", abstract: "The server's health (no keys needed).")
        @OptionGroup var server: ServerOptions
        func call(_ client: ServerClient) async throws -> JSONValue { try await client.health() }
    }

    struct Formations: ServerCommand {
        static let configuration = CommandConfiguration(commandName: "formations", abstract: "The formations on the server.")
        @OptionGroup var server: ServerOptions
        func call(_ client: ServerClient) async throws -> JSONValue { .array(try await client.formations().map(\.raw)) }
    }

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deploy", abstract: "Deploy a .tar.gz bundle, showing progress.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The bundle (.tar.gz).") var bundle: String
        @Option(name: .long, help: "The formation id (must match the bundle's).") var id: String
        @Option(name: .long, help: "The bundle's version.") var version: String?

        func run() async throws {
            let output = Output()
            let client = try server.client(output)
            guard let data = FileManager.default.contents(atPath: bundle) else { throw CLIError.usage("cannot read \(bundle)") }
            for try await event in client.deployStream(bundle: Array(data), formationID: id, version: version) {
                switch event {
                case .progress(let stage, let message, let percent):
                    output.error("\(stage): \(output.cell(message))\(percent.map { " (\($0)%)" } ?? "")")
                case .complete(let result): output.json(result)
                case .log(let line), .other(_, let line): output.error(JSONWriter.string(line))
                }
            }
        }
    }

    /// start, stop, restart, rollback, delete: one formation id, one JSON answer.
    struct Action<Kind: ServerAction>: ServerCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.name, abstract: Kind.abstract)
        }
        @OptionGroup var server: ServerOptions
        @Argument(help: "The formation id.") var id: String
        func call(_ client: ServerClient) async throws -> JSONValue { try await Kind.call(client, id) }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "logs", abstract: "A formation's logs; --follow streams them.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The formation id.") var id: String
        @Option(name: .long, help: "How many recent lines.") var lines = 100
        @Flag(name: .long, help: "Keep streaming new lines.") var follow = false
        @Option(name: .long, help: ArgumentHelp("Only this output stream: stdout or stderr.", valueName: "name"))
        var stream: String?

        func run() async throws {
            let output = Output()
            let client = try server.client(output)
            let only = stream.map(ServerClient.LogStream.init(rawValue:))
            guard follow else { return output.json(try await client.logs(id, lines: lines, stream: only)) }
            for try await case .log(let line) in client.followLogs(id, stream: only) {
                output.line(output.safe(line["line"]?.stringValue ?? line["message"]?.stringValue ?? JSONWriter.string(line)))
            }
        }
    }
}

/// What one `server` action does to a formation.
protocol ServerAction {
    static var name: String { get }
    static var abstract: String { get }
    static func call(_ client: ServerClient, _ id: String) async throws -> JSONValue
}

enum StartFormation: ServerAction {
    static let name = "start", abstract = "Start a formation."
    static func call(_ c: ServerClient, _ id: String) async throws -> JSONValue { try await c.start(id) }
}

enum StopFormation: ServerAction {
    static let name = "stop", abstract = "Stop a formation."
    static func call(_ c: ServerClient, _ id: String) async throws -> JSONValue { try await c.stop(id) }
}

enum RestartFormation: ServerAction {
    static let name = "restart", abstract = "Restart a formation."
    static func call(_ c: ServerClient, _ id: String) async throws -> JSONValue { try await c.restart(id) }
}

enum RollbackFormation: ServerAction {
    static let name = "rollback", abstract = "Roll a formation back to its previous version."
    static func call(_ c: ServerClient, _ id: String) async throws -> JSONValue { try await c.rollback(id) }
}

enum DeleteFormation: ServerAction {
    static let name = "delete", abstract = "Delete a formation."
    static func call(_ c: ServerClient, _ id: String) async throws -> JSONValue { try await c.delete(id) }
}

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Webhook helpers.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify",
            abstract: "Verify a webhook payload read from stdin; print the parsed event.",
            discussion: "Exit code 3 when the signature does not verify.")
        @Option(name: .long, help: "The webhook secret (the formation's admin key).") var secret: String
        @Option(name: .long, help: "The X-Muxi-Signature header value.") var signature: String
        @Option(name: .long, help: "Seconds of clock difference accepted.") var tolerance = 300

        func run() async throws {
            let output = Output()
            let payload = Array(FileHandle.standardInput.readDataToEndOfFile())
            let verdict = Webhook.verify(payload: payload, header: signature, secret: secret, tolerance: .seconds(tolerance))
            guard verdict == .valid else {
                throw MuxiError(kind: .authentication, code: "INVALID_SIGNATURE", message: "the signature does not verify: \(verdict)")
            }
            let event = try Webhook.parse(payload)
            output.json(["request_id": .string(event.requestID), "status": .string(event.status.rawValue),
                         "timestamp": Format.iso(event.timestamp),
                         "text": .string(event.content.compactMap(\.text).joined()),
                         "error": event.error.map { ["code": .string($0.code), "message": .string($0.message)] } ?? .null,
                         "question": Format.string(event.clarification?.question),
                         "formation_id": Format.string(event.formationID), "user_id": Format.string(event.userID)])
        }
    }
}
