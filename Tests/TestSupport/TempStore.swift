import Foundation

/// A path for a local store of a test's own, in a new folder.
public enum TempStore {
    public static func path() -> String {
        NSTemporaryDirectory() + "muxi-store-\(UUID().uuidString)/store.sqlite"
    }
}
