import Foundation

/// The user's artifacts: the files agents made, as the formation's artifact memory keeps them
/// (`/v1/artifacts`, protocol §6.12). A formation without artifact memory lists none.
extension FormationClient {
    /// The user's artifacts, latest versions, most recently used first (`limit` 1–100, the
    /// runtime's bounds).
    ///
    /// ```swift
    /// for a in try await formation.artifacts().artifacts { print(a.id ?? "", a.filename ?? "") }
    /// ```
    public func artifacts(limit: Int = 20, userID: String? = nil) async throws -> ArtifactList {
        let route = Route("GET", ["artifacts"], query: [("limit", String(min(max(limit, 1), 100)))], key: .either, user: .required)
        return try ArtifactList(json: try await send(route, userID: userID))
    }

    /// One artifact's metadata; a `NOT_FOUND` ``MuxiError`` for an unknown id.
    ///
    /// ```swift
    /// let a = try await formation.artifact("art_123")
    /// ```
    public func artifact(_ id: String, userID: String? = nil) async throws -> Artifact {
        try Artifact(json: try await send(Route("GET", ["artifacts", id], key: .either, user: .required), userID: userID))
    }

    /// Every version of an artifact, oldest first.
    ///
    /// ```swift
    /// let versions = try await formation.artifactVersions("art_123")
    /// ```
    public func artifactVersions(_ id: String, userID: String? = nil) async throws -> [Artifact] {
        let json = try await send(Route("GET", ["artifacts", id, "versions"], key: .either, user: .required), userID: userID)
        return try (json["versions"]?.arrayValue ?? []).map(Artifact.init(json:))
    }

    /// Downloads an artifact's content (`/artifacts/{id}/content`, a given `version` or the
    /// latest) into `folder`, streamed to disk chunk by chunk (memory stays bounded whatever
    /// its size), under the server's file name made safe and never over an existing file
    /// (see ``ArtifactFiles``); returns the path written. A failed download removes its
    /// partial file.
    ///
    /// ```swift
    /// let path = try await formation.saveArtifact("art_123", in: "downloads")
    /// ```
    public func saveArtifact(_ id: String, version: Int? = nil, in folder: String, userID: String? = nil) async throws -> String {
        let route = Route("GET", ["artifacts", id, "content"], query: [("version", version.map(String.init))],
                          key: .either, user: .required)
        let response = try await openStream(route, userID: userID, idempotencyKey: IDs.make("idem_"), accept: "*/*")
        let named = response.header("content-disposition").flatMap(ArtifactFiles.filename(fromDisposition:)) ?? ""
        let file = try ArtifactFiles.create(in: folder, name: ArtifactFiles.safeName(named))
        do {
            defer { try? file.handle.close() }
            for try await chunk in response.body { try file.handle.write(contentsOf: chunk) }
        } catch {
            try? FileManager.default.removeItem(atPath: file.path)
            throw error
        }
        return file.path
    }
}

/// A page of the user's artifacts (`GET /v1/artifacts`).
public struct ArtifactList: MuxiModel {
    /// The JSON object as received.
    public let raw: JSONValue
    /// The artifacts of this page.
    public let artifacts: [Artifact]
    /// How many the user has in all.
    public let total: Int

    /// Reads the page.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        artifacts = try (json["artifacts"]?.arrayValue ?? []).map(Artifact.init(json:))
        total = json.int("total") ?? artifacts.count
    }
}
