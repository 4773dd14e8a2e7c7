-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "email" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "phone" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "splitFromId" TEXT;

-- AlterTable
ALTER TABLE "TicketMessage" ADD COLUMN "clientKey" TEXT;
ALTER TABLE "TicketMessage" ADD COLUMN "fromName" TEXT;
ALTER TABLE "TicketMessage" ADD COLUMN "messageId" TEXT;
ALTER TABLE "TicketMessage" ADD COLUMN "subject" TEXT;

-- CreateTable
CREATE TABLE "ReviewPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "contentType" TEXT,
    "bytes" BLOB,
    "url" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewPhoto_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewPhoto_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT,
    "shopifyProductId" TEXT NOT NULL,
    "productTitle" TEXT,
    "productHandle" TEXT,
    "shopifyOrderId" TEXT,
    "rating" INTEGER NOT NULL,
    "title" TEXT,
    "body" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT,
    "locale" TEXT,
    "verifiedBuyer" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "source" TEXT NOT NULL DEFAULT 'storefront',
    "featured" BOOLEAN NOT NULL DEFAULT false,
    "replyBody" TEXT,
    "repliedAt" DATETIME,
    "publishedAt" DATETIME,
    "importKey" TEXT,
    "clientKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Review_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Review" ("authorEmail", "authorName", "body", "contactId", "createdAt", "id", "rating", "shopId", "shopifyOrderId", "shopifyProductId", "status", "title", "updatedAt", "verifiedBuyer") SELECT "authorEmail", "authorName", "body", "contactId", "createdAt", "id", "rating", "shopId", "shopifyOrderId", "shopifyProductId", "status", "title", "updatedAt", "verifiedBuyer" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
CREATE INDEX "Review_shopId_shopifyProductId_status_idx" ON "Review"("shopId", "shopifyProductId", "status");
CREATE INDEX "Review_shopId_status_createdAt_idx" ON "Review"("shopId", "status", "createdAt");
CREATE INDEX "Review_shopId_clientKey_createdAt_idx" ON "Review"("shopId", "clientKey", "createdAt");
CREATE UNIQUE INDEX "Review_shopId_shopifyOrderId_shopifyProductId_key" ON "Review"("shopId", "shopifyOrderId", "shopifyProductId");
CREATE UNIQUE INDEX "Review_shopId_importKey_key" ON "Review"("shopId", "importKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ReviewPhoto_reviewId_position_idx" ON "ReviewPhoto"("reviewId", "position");

-- CreateIndex
CREATE INDEX "ReviewPhoto_shopId_idx" ON "ReviewPhoto"("shopId");

-- CreateIndex
CREATE INDEX "Ticket_shopId_orderName_idx" ON "Ticket"("shopId", "orderName");

-- CreateIndex
CREATE INDEX "TicketMessage_clientKey_createdAt_idx" ON "TicketMessage"("clientKey", "createdAt");

