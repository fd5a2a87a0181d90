// swift-tools-version:6.0
import Foundation
import PackageDescription

// libFuzzer targets for every parser of untrusted bytes. Built only by scripts/fuzz, with
// `-sanitize=fuzzer,address`; each target's main.swift hands its check to `Fuzzer.run`.

// A path dependency's identity is its folder's name, whatever the clone is called.
let cocrea = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzInput"] + dependencies)
}

let package = Package(
    name: "cocrea-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // Splits one fuzz input into the several fields a parser takes.
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzInput", dependencies: ["CLibFuzzer"]),
        fuzzer("FuzzRequestCSV", [.product(name: "CocreaConsultation", package: cocrea)]),
        fuzzer(
            "FuzzRequestXLSX",
            [
                .product(name: "CocreaConsultation", package: cocrea),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        fuzzer(
            "FuzzSurveyAnswers",
            [
                .product(name: "CocreaConsultation", package: cocrea),
                .product(name: "CocreaCore", package: cocrea),
            ]),
        fuzzer("FuzzOCDS", [.product(name: "CocreaProcurement", package: cocrea)]),
        fuzzer("FuzzNationalCatalogue", [.product(name: "CocreaCore", package: cocrea)]),
        fuzzer("FuzzPublicPath", [.product(name: "CocreaCore", package: cocrea)]),
        fuzzer("FuzzCalendar", [.product(name: "CocreaDocuments", package: cocrea)]),
        // MailMessage.swift is compiled in directly (a link to the file, not a copy): the CocreaMail
        // module also holds the outbox, which would pull Fluent and both database drivers into this build.
        fuzzer("FuzzMailText", [.product(name: "CocreaCore", package: cocrea)]),
        fuzzer("FuzzPDFSeal", [.product(name: "CocreaDocuments", package: cocrea)]),
        fuzzer("FuzzTimeStamp", [.product(name: "CocreaDocuments", package: cocrea)]),
        fuzzer("FuzzOCSP", [.product(name: "CocreaDocuments", package: cocrea)]),
        fuzzer(
            "FuzzEFirma",
            [
                .product(name: "CocreaDocuments", package: cocrea),
                .product(name: "CocreaCore", package: cocrea),
            ]),
        fuzzer(
            "FuzzMultipart",
            [
                .product(name: "CocreaCore", package: cocrea),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]),
    ]
)
