export interface PhonePhotoOptions {
  width?: number;
  height?: number;
  orientation?: 1 | 6;
  seed?: number;
  quality?: number;
  marker?: string;
  grain?: number;
  brightness?: number;
}
export declare function phonePhoto(options?: PhonePhotoOptions): Promise<Buffer>;
export declare function withComment(jpeg: Buffer, text: string): Buffer;
