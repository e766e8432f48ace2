import ArgumentParser
import Foundation
import LocalStore
import MuxiClient
import TerminalUI

/// How the command line saves an answer's artifacts (into `LocalStore.artifactsFolder(session:)`, or `--out`).
enum ArtifactFolder {
    /// Saves an artifact of an answer that carries its bytes, saying where on stderr; one
    /// without bytes (kept by the formation) is named with the command that fetches it.
    static func save(_ artifact: Artifact, in folder: String, output: Output) -> (artifact: Artifact, path: String?) {
        let name = ControlCharacters.oneLine(artifact.filename ?? artifact.id ?? "artifact")
        guard artifact.inlineBytes != nil else {
            if let id = artifact.id { output.error("artifact \(name): muxi-chat artifacts save \(ControlCharacters.oneLine(id))") }
            return (artifact, nil)
        }
        do {
            let path = try artifact.save(in: folder)
            output.error("artifact saved: \(ControlCharacters.oneLine(path))")
            return (artifact, path)
        } catch {
            output.error("warning: artifact \(name) not saved: \(ControlCharacters.oneLine(error.message))")
            return (artifact, nil)
        }
    }
}

/// `muxi-chat artifacts`: the files agents made for the user.
struct Artifacts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "artifacts",
        abstract: "The files agents made for the user (the formation's artifact memory).",
        subcommands: [List.self, Show.self, Save.self, Open.self])

    static func json(_ a: Artifact) -> JSONValue {
        ["id": Format.string(a.id), "filename": Format.string(a.filename), "type": .string(a.type),
         "content_type": Format.string(a.contentType), "size": a.sizeBytes.map { .number(JSONNumber($0)) } ?? .null,
         "version": a.version.map { .number(JSONNumber($0)) } ?? .null, "session_id": Format.string(a.sessionID),
         "summary": Format.string(a.summary), "created_at": Format.iso(a.createdAt)]
    }

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the artifacts, most recently used first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "Only those made in this session.") var session: String?
        @Option(name: .long, help: "At most this many (1-100).") var limit = 100

        func run(client: FormationClient, output: Output) async throws {
            let page = try await client.artifacts(limit: limit)
            let shown = page.artifacts.filter { session == nil || $0.sessionID == session }
            if format.json { return output.json(.array(shown.map(Artifacts.json))) }
            output.table(["ARTIFACT", "NAME", "TYPE", "SIZE", "CREATED"], shown.map {
                [output.cell($0.id ?? "-"), output.cell($0.filename ?? "-"), output.cell($0.contentType ?? $0.type),
                 $0.sizeBytes.map(Attachment.describe(size:)) ?? "-", Format.time($0.createdAt)]
            })
        }
    }

    struct Show: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One artifact's details and versions.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Argument(help: "The artifact id.") var id: String

        func run(client: FormationClient, output: Output) async throws {
            let artifact = try await client.artifact(id)
            let versions = (try? await client.artifactVersions(id)) ?? []
            if format.json {
                guard case .object(var object) = Artifacts.json(artifact) else { return }
                object["versions"] = .array(versions.map { .number(JSONNumber($0.version ?? 0)) })
                return output.json(.object(object))
            }
            let rows: [(String, String?)] = [
                ("id", artifact.id), ("name", artifact.filename), ("type", artifact.contentType ?? artifact.type),
                ("size", artifact.sizeBytes.map(Attachment.describe(size:))), ("version", artifact.version.map(String.init)),
                ("versions", versions.isEmpty ? nil : versions.compactMap { $0.version.map(String.init) }.joined(separator: ", ")),
                ("session", artifact.sessionID), ("created", artifact.createdAt.map { Format.time($0) }), ("summary", artifact.summary),
            ]
            for (label, value) in rows { if let value { output.line(label.padding(toLength: 9, withPad: " ", startingAt: 0) + output.cell(value)) } }
        }
    }

    struct Save: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "save",
            abstract: "Download an artifact (streamed to disk; never over an existing file) and print its path.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The artifact id.") var id: String
        @Option(name: .long, help: "Into this folder (default: the session's artifacts folder).") var out: String?
        @Option(name: .long, help: "This version (default: the latest).") var version: Int?

        func run(client: FormationClient, output: Output) async throws {
            output.line(output.safe(try await Artifacts.download(id, version: version, out: out, client: client)))
        }
    }

    struct Open: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "open",
            abstract: "Download an artifact and open it with the system's opener ($MUXI_CHAT_OPEN, else xdg-open).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The artifact id.") var id: String

        func run(client: FormationClient, output: Output) async throws {
            let path = try await Artifacts.download(id, version: nil, out: nil, client: client)
            output.error("saved: \(ControlCharacters.oneLine(path))")
            let environment = ProcessInfo.processInfo.environment
            let opener = environment["MUXI_CHAT_OPEN"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [opener, path]   // the path is one argument: no shell sees it
            do { try process.run() } catch {
                throw CLIError(kind: "usage", code: "NO_OPENER", message: "cannot run \(opener): \(error.localizedDescription)",
                               hint: "set MUXI_CHAT_OPEN to a program that opens files", exitCode: 1)
            }
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                throw CLIError(kind: "usage", code: "NO_OPENER", message: "\(opener) exited with \(process.terminationStatus)",
                               hint: "set MUXI_CHAT_OPEN to a program that opens files", exitCode: 1)
            }
        }
    }

    /// Saves artifact `id` into `out`, or its session's folder.
    static func download(_ id: String, version: Int?, out: String?, client: FormationClient) async throws -> String {
        let folder: String
        if let out { folder = out } else { folder = LocalStore.artifactsFolder(session: try await client.artifact(id).sessionID) }
        return try await client.saveArtifact(id, version: version, in: folder)
    }
}
