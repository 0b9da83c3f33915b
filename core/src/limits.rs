//! Documented limits. Inputs beyond them are rejected with a clear error, never a stack
//! overflow or an out-of-memory.

/// Deepest criteria tree accepted (the root's children are at depth 1).
pub const MAX_DEPTH: usize = 32;
/// Most nodes accepted in one criteria tree.
pub const MAX_NODES: usize = 100_000;
/// Longest code, unit id or group name accepted, in bytes.
pub const MAX_CODE_LEN: usize = 256;
/// Longest label or free text accepted, in bytes.
pub const MAX_TEXT_LEN: usize = 4096;
/// Most units accepted in one assessment set.
pub const MAX_UNITS: usize = 1_000_000;
/// Longest single record of a survey response CSV, in bytes (a file may be of any size; this
/// bounds the memory a runaway quoted field can take).
pub const MAX_CSV_RECORD_BYTES: usize = 64 << 20;
/// Deepest JSON nesting serde_json accepts before it reports an error (its own recursion limit).
pub const MAX_JSON_NESTING: usize = 128;
