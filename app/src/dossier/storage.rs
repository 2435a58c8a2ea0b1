//! Where attached documents are kept: a local directory by default, or S3-compatible object
//! storage when several servers share the files. Objects are named by generated keys only.

use bytes::Bytes;
use object_store::{aws::AmazonS3Builder, local::LocalFileSystem, path::Path, ObjectStore, PutPayload};
use std::sync::Arc;

#[derive(Clone)]
pub struct FileStore(Arc<dyn ObjectStore>);

#[derive(Debug, thiserror::Error)]
#[error("file store: {0}")]
pub struct StoreError(#[from] object_store::Error);

impl FileStore {
    /// `FILE_STORE`: `s3://bucket` (credentials and endpoint from the usual `AWS_*` variables),
    /// or a directory, created if missing.
    pub fn from_setting(setting: &str) -> Result<Self, StoreError> {
        match setting.strip_prefix("s3://") {
            Some(bucket) => Ok(Self(Arc::new(AmazonS3Builder::from_env().with_bucket_name(bucket).build()?))),
            None => {
                std::fs::create_dir_all(setting)
                    .map_err(|e| object_store::Error::Generic { store: "local", source: e.into() })?;
                Ok(Self(Arc::new(LocalFileSystem::new_with_prefix(setting)?)))
            }
        }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.0.put(&Path::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        Ok(self.0.get(&Path::from(key)).await?.bytes().await?)
    }

    /// Deletes the object and the picture of its first page, if one was drawn.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.delete_one(&first_page_key(key)).await?;
        self.delete_one(key).await
    }

    async fn delete_one(&self, key: &str) -> Result<(), StoreError> {
        match self.0.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

/// Where the picture of a stored PDF's first page is kept, beside the PDF.
pub fn first_page_key(key: &str) -> String {
    format!("{key}.trang-dau.png")
}
