import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { storageConfig, StorageSettings } from '@app/core';
import { ImageUploads } from './application/image-uploads';
import { ObjectStorage } from './domain/object-storage';
import { LocalDiskStorage } from './infrastructure/local-disk.storage';
import { S3Storage } from './infrastructure/s3.storage';
import { UploadsController } from './presentation/uploads.controller';

/** Builds the configured driver: `STORAGE_DRIVER=local` (default) or `s3`. */
export function createObjectStorage(config: StorageSettings): ObjectStorage {
  return config.driver === 's3' ? new S3Storage(config.s3) : new LocalDiskStorage(config.uploadsDir);
}

/** Uploads: the storage port with its two drivers, image checks and re-encoding, and the routes. */
@Global()
@Module({
  controllers: [UploadsController],
  providers: [{ provide: ObjectStorage, inject: [storageConfig.KEY], useFactory: createObjectStorage }, ImageUploads],
  exports: [ObjectStorage, ImageUploads],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(ObjectStorage) private readonly storage: ObjectStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3Storage) this.storage.destroy();
  }
}
