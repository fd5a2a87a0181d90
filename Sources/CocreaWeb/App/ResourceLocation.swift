import CocreaCore
import Foundation

/// Finds the folder holding `Resources/` (templates, the national catalogue, the OpenAPI document)
/// and `Public/`, so that the binary runs from any working directory.
public enum ResourceLocation {
    /// What marks a folder as Cocrea's resources.
    static let marker = "Resources/data/national-plan-mx-2016-2018.csv"

    /// The folders looked at, in order: the one given (`--resources` or `COCREA_RESOURCES`) alone
    /// when there is one; else `<bin>/../share/cocrea` as installed, then the executable's own
    /// folder and its ancestors (a development checkout: `.build/debug/cocrea`), then the working
    /// directory.
    public static func candidates(given: String?, executable: String?, workingDirectory: String) -> [String] {
        if let given, !given.isEmpty { return [absolute(given, in: workingDirectory)] }
        var found: [String] = []
        if let executable {
            var folder = URL(fileURLWithPath: executable).deletingLastPathComponent().standardizedFileURL
            found.append(folder.deletingLastPathComponent().appendingPathComponent("share/cocrea").path)
            while true {
                found.append(folder.path)
                let parent = folder.deletingLastPathComponent().standardizedFileURL
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        found.append(workingDirectory)
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// The first candidate holding the resources, or a Spanish error naming every place looked at.
    public static func resolve(
        given: String?, executable: String? = currentExecutable(),
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws -> String {
        let places = candidates(given: given, executable: executable, workingDirectory: workingDirectory)
        if let root = places.first(where: { exists(($0 as NSString).appendingPathComponent(marker)) }) { return root }
        throw CocreaError.resourcesMissing(searched: places)
    }

    /// The running binary, with symbolic links resolved (an installed `/usr/local/bin/cocrea` may
    /// be a link into `/opt`).
    public static func currentExecutable() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    private static func absolute(_ path: String, in workingDirectory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
    }
}
