// Original file: proto/zkfleet.proto


export interface BackupRequest {
}

export interface BackupRequest__Output {
}
