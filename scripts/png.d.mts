export declare const PNG_SIGNATURE: Buffer;
export declare function pngChunk(type: string, data: Buffer): Buffer;
