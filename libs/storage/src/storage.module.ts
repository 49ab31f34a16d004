import { Module, OnApplicationShutdown } from '@nestjs/common';
import { storageConfig, StorageSettings } from '@app/core';
import { ImageUploads } from './application/image-uploads';
import { ObjectStorage } from './domain/object-storage';
import { LocalDiskStorage } from './infrastructure/local-disk.storage';
import { UploadsController } from './presentation/uploads.controller';

/**
 * Builds the configured driver: `STORAGE_DRIVER=local` (default) or `s3`. The AWS SDK is loaded only
 * when the S3 driver is used (it costs about half a second at start-up).
 */
export async function createObjectStorage(config: StorageSettings): Promise<ObjectStorage> {
  if (config.driver !== 's3') return new LocalDiskStorage(config.uploadsDir);
  const { S3Storage } = await import('./infrastructure/s3.storage');
  return new S3Storage(config.s3);
}

/** Uploads: the storage port with its two drivers, image checks and re-encoding, and the routes. */
@Module({
  controllers: [UploadsController],
  providers: [{ provide: ObjectStorage, inject: [storageConfig.KEY], useFactory: createObjectStorage }, ImageUploads],
  exports: [ObjectStorage, ImageUploads],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(private readonly storage: ObjectStorage) {}

  onApplicationShutdown(): void {
    this.storage.close();
  }
}
