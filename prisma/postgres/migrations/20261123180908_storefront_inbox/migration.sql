-- DropIndex
DROP INDEX "Review_shopId_shopifyOrderId_idx";

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "clientKey" TEXT,
ADD COLUMN     "featured" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "importKey" TEXT,
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "productHandle" TEXT,
ADD COLUMN     "productTitle" TEXT,
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "repliedAt" TIMESTAMP(3),
ADD COLUMN     "replyBody" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'storefront';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "email" TEXT,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "splitFromId" TEXT;

-- AlterTable
ALTER TABLE "TicketMessage" ADD COLUMN     "clientKey" TEXT,
ADD COLUMN     "fromName" TEXT,
ADD COLUMN     "messageId" TEXT,
ADD COLUMN     "subject" TEXT;

-- CreateTable
CREATE TABLE "ReviewPhoto" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "contentType" TEXT,
    "bytes" BYTEA,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewPhoto_reviewId_position_idx" ON "ReviewPhoto"("reviewId", "position");

-- CreateIndex
CREATE INDEX "ReviewPhoto_shopId_idx" ON "ReviewPhoto"("shopId");

-- CreateIndex
CREATE INDEX "Review_shopId_status_createdAt_idx" ON "Review"("shopId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Review_shopId_clientKey_createdAt_idx" ON "Review"("shopId", "clientKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Review_shopId_shopifyOrderId_shopifyProductId_key" ON "Review"("shopId", "shopifyOrderId", "shopifyProductId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_shopId_importKey_key" ON "Review"("shopId", "importKey");

-- CreateIndex
CREATE INDEX "Ticket_shopId_orderName_idx" ON "Ticket"("shopId", "orderName");

-- CreateIndex
CREATE INDEX "TicketMessage_clientKey_createdAt_idx" ON "TicketMessage"("clientKey", "createdAt");

-- AddForeignKey
ALTER TABLE "ReviewPhoto" ADD CONSTRAINT "ReviewPhoto_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPhoto" ADD CONSTRAINT "ReviewPhoto_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

