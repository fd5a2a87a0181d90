import Foundation

/// A file to hand over as an attachment: its bytes, the name it is saved under, its media type.
package struct Download: Sendable {
    package var data: Data
    package var name: String
    package var type: String

    package init(_ data: Data, name: String, type: String) {
        self.data = data
        self.name = name
        self.type = type
    }
}
