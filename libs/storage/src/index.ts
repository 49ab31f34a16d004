export * from './storage.module';
export * from './domain';
export * from './application/image-uploads';
export * from './presentation/multipart';
export * from './presentation/uploads.dto';
